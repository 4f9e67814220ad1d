import { Alert, Card, Empty, List, Progress, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFetch } from '../../shared/useFetch';

interface Suggestions {
  model: { version: number } | null;
  categories: { code: string; name: string; p: number; inCatalogue: boolean }[];
  confidence: number | null;
  needsTriage: boolean | null;
  threshold: number;
  currentCategory: { code: string; name: string } | null;
  unitsFor: { code: string; name: string; from: 'ticket' | 'model' } | null;
  units: { unit: string; name: string; score: number; reason: string }[];
}

const pct = (p: number) => Math.round(p * 1000) / 10;

/** 分类建议 top-3 with calibrated probabilities and the unit suggestion with its reason (dispatcher view). */
export function ModelSuggestionsCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const { data, loading } = useFetch<Suggestions>(`/api/v1/analysis/tickets/${ticketId}/suggestions`);
  return (
    <Card size="small" title={t('model.suggest.title')} loading={loading} data-testid="model-suggestions">
      {data && !data.model && <Empty description={t('model.suggest.noModel')} />}
      {data?.model && (
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          {data.needsTriage && <Alert type="warning" showIcon title={t('model.suggest.triage', { p: pct(data.threshold) })} data-testid="model-triage" />}
          <List
            size="small"
            dataSource={data.categories}
            renderItem={(c, i) => (
              <List.Item data-testid="model-category">
                <Space orientation="vertical" size={0} style={{ width: '100%' }}>
                  <Typography.Text strong={i === 0}>
                    {i + 1}. {c.name} {data.currentCategory?.code === c.code && <Tag color="green">{t('model.suggest.current')}</Tag>}
                  </Typography.Text>
                  <Progress percent={pct(c.p)} size="small" status={i === 0 ? 'active' : 'normal'} format={(v) => `${v}%`} />
                </Space>
              </List.Item>
            )}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('model.suggest.version', { v: data.model.version })}
          </Typography.Text>
          {data.unitsFor && (
            <>
              <Typography.Text strong>{t('model.suggest.units', { category: data.unitsFor.name })}</Typography.Text>
              {data.units.length === 0 && <Typography.Text type="secondary">{t('model.suggest.noUnits')}</Typography.Text>}
              {data.units.map((u, i) => (
                <div key={u.unit} data-testid="model-unit">
                  <Typography.Text strong={i === 0}>
                    {u.name} <Tag>{Math.round(u.score * 100)}</Tag>
                  </Typography.Text>
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {u.reason}
                    </Typography.Text>
                  </div>
                </div>
              ))}
            </>
          )}
        </Space>
      )}
    </Card>
  );
}
