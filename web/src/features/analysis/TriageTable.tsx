import { Alert, Empty, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDateTime } from '../../shared/format';
import { currentLanguage } from '../../i18n';
import { useFetch } from '../../shared/useFetch';

interface TriageItem {
  ticketId: string;
  number: string;
  title: string;
  status: string;
  createdAt: string;
  confidence: number;
  categories: { code: string; name: string; p: number }[];
}

interface TriageQueue {
  model: { version: number } | null;
  threshold: number;
  items: TriageItem[];
}

const pct = (p: number) => `${Math.round(p * 1000) / 10}%`;

/**
 * 人工分类 (triage): tickets waiting for dispatch whose model confidence is below the threshold,
 * with the model's three guesses, least sure first. The dispatcher opens the ticket and sets the
 * category; that correction becomes a label for the next training.
 */
export function TriageTable() {
  const { t } = useTranslation();
  const { data, loading } = useFetch<TriageQueue>('/api/v1/analysis/triage?limit=200');
  if (data && !data.model) return <Empty description={t('model.suggest.noModel')} data-testid="triage-no-model" />;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="triage-queue">
      {data?.model && <Alert type="info" showIcon title={t('model.triageQueue.explain', { p: Math.round(data.threshold * 100), version: data.model.version })} />}
      <Table<TriageItem>
        rowKey="ticketId"
        size="small"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('model.triageQueue.empty') }}
        columns={[
          {
            title: t('tickets.number'),
            dataIndex: 'number',
            width: 170,
            render: (n: string, r) => (
              <Link to={`/tickets/${r.ticketId}`} data-testid="triage-ticket">
                {n}
              </Link>
            ),
          },
          { title: t('tickets.title'), dataIndex: 'title', ellipsis: true },
          {
            title: t('model.triageQueue.confidence'),
            dataIndex: 'confidence',
            width: 110,
            render: (c: number) => <Typography.Text type="warning">{pct(c)}</Typography.Text>,
          },
          {
            title: t('model.triageQueue.guesses'),
            dataIndex: 'categories',
            render: (cs: TriageItem['categories']) => (
              <Space size={4} wrap>
                {cs.map((c) => (
                  <Tag key={c.code}>
                    {c.name} {pct(c.p)}
                  </Tag>
                ))}
              </Space>
            ),
          },
          { title: t('tickets.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, currentLanguage()) },
        ]}
      />
    </Space>
  );
}
