import { Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import type { TicketView } from '../../shared/types';
import { DeadlineTags, StatusTag } from './TicketTags';
import type { Units } from './useUnits';

interface Props {
  items: TicketView[];
  total: number;
  loading: boolean;
  page: number;
  pageSize: number;
  units: Units;
  onPage: (page: number, pageSize: number) => void;
}

/** The ticket list; a row opens the ticket. */
export function TicketTable({ items, total, loading, page, pageSize, units, onPage }: Props) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const lang = currentLanguage();

  const columns: ColumnsType<TicketView> = [
    { key: 'number', title: t('tickets.number'), dataIndex: 'number', width: 150 },
    {
      key: 'title',
      title: t('tickets.title'),
      dataIndex: 'title',
      render: (v: string) => (
        <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 260 }}>
          {v}
        </Typography.Text>
      ),
    },
    { key: 'type', title: t('tickets.type'), dataIndex: 'type', render: (v: TicketView['type']) => t(`tickets.types.${v}`) },
    {
      key: 'category',
      title: t('tickets.category'),
      render: (_, r) => r.category?.name ?? t('common.none'),
    },
    { key: 'street', title: t('tickets.street'), render: (_, r) => r.location.subdistrict?.name ?? t('common.none') },
    {
      key: 'status',
      title: t('tickets.status'),
      render: (_, r) => (
        <Space size={2} wrap>
          <StatusTag status={r.status} />
          <DeadlineTags ticket={r} />
        </Space>
      ),
    },
    { key: 'lead', title: t('tickets.leadUnit'), render: (_, r) => units.name(r.leadUnit) },
    { key: 'due', title: t('tickets.dueAt'), dataIndex: 'dueAt', render: (v: string | null) => formatDateTime(v, lang) || t('common.none') },
    { key: 'created', title: t('tickets.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, lang) },
  ];

  return (
    <Table<TicketView>
      key={i18n.language}
      rowKey="id"
      size="middle"
      loading={loading}
      columns={columns}
      dataSource={items}
      data-testid="tickets-table"
      scroll={{ x: 'max-content' }}
      rowClassName={() => 'ms-ticket-row'}
      onRow={(r) =>
        ({
          'data-testid': 'ticket-row',
          'data-number': r.number,
          'data-status': r.status,
          style: { cursor: 'pointer' },
          onClick: () => void navigate(`/tickets/${r.id}`),
        }) as HTMLAttributes<HTMLElement>
      }
      pagination={{
        current: page,
        pageSize,
        total,
        showSizeChanger: true,
        showTotal: (n) => t('common.total', { total: n }),
        onChange: (p, size) => onPage(size === pageSize ? p : 1, size),
      }}
    />
  );
}
