import { Input, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { withQuery } from '../../api';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { ROLES, type AuditEntry, type Page, type Role } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** JSON detail, one line until opened. */
function Detail({ value }: { value: unknown }) {
  if (value === null || value === undefined) return null;
  const compact = JSON.stringify(value);
  if (compact === '{}' || compact === '[]') return null;
  return (
    <details data-testid="audit-detail">
      <summary className="ms-json-summary">{compact}</summary>
      <pre className="ms-json">{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

export default function AuditPage() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [action, setAction] = useState('');
  const [actorId, setActorId] = useState('');
  const { data, loading } = useFetch<Page<AuditEntry>>(withQuery('/api/v1/audit', { page, pageSize, action, actorId }));
  const lang = currentLanguage();

  const columns: ColumnsType<AuditEntry> = [
    { key: 'at', title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v, lang) },
    {
      key: 'actor',
      title: t('audit.actor'),
      render: (_, e) =>
        e.actorId ? (
          <>
            {e.actorName ?? e.actorId}
            <br />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {e.actorId}
            </Typography.Text>
          </>
        ) : (
          t('audit.system')
        ),
    },
    {
      key: 'role',
      title: t('audit.role'),
      dataIndex: 'actorRole',
      render: (r: string | null) => (isRole(r) ? t(`roles.${r}`) : (r ?? t('common.none'))),
    },
    { key: 'action', title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Tag>{v}</Tag> },
    {
      key: 'target',
      title: t('audit.target'),
      render: (_, e) => (e.targetType || e.targetId ? [e.targetType, e.targetId].filter(Boolean).join(' · ') : t('common.none')),
    },
    { key: 'detail', title: t('audit.detail'), dataIndex: 'detail', render: (v: unknown) => <Detail value={v} /> },
  ];

  const filter = (set: (v: string) => void) => (value: string) => {
    set(value.trim());
    setPage(1);
  };

  return (
    <>
      <div className="ms-toolbar">
        <Input.Search allowClear placeholder={t('audit.actionFilter')} style={{ width: 220 }} onSearch={filter(setAction)} data-testid="audit-action-filter" />
        <Input.Search allowClear placeholder={t('audit.actorFilter')} style={{ width: 260 }} onSearch={filter(setActorId)} data-testid="audit-actor-filter" />
      </div>
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        loading={loading}
        columns={columns}
        dataSource={data?.items ?? []}
        data-testid="audit-table"
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (p, size) => {
            setPage(size === pageSize ? p : 1);
            setPageSize(size);
          },
        }}
      />
    </>
  );
}
