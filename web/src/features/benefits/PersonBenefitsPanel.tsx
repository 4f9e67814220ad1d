import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { withQuery } from '../../api';
import { useFetch } from '../../shared/useFetch';
import type { Bi, Explanation } from './types';
import { CategoryTag } from './CategoryTag';

/** Every policy's verdict for one person, explained — mounted on the residents' person page. */
export function PersonBenefitsPanel({ personId, date }: { personId: string; date?: string }) {
  const { t, i18n } = useTranslation();
  const day = date ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const { data, loading } = useFetch<{ verdicts: Explanation[] }>(withQuery('/api/v1/benefits/explain', { person: personId, date: day }));
  const pick = (b: Bi) => (i18n.language.startsWith('en') ? b.en : b.zh);
  return (
    <Card title={`${t('benefits.panelTitle')} · ${day}`} loading={loading} data-testid="person-benefits">
      <List
        dataSource={data?.verdicts ?? []}
        renderItem={(v) => (
          <List.Item>
            <List.Item.Meta
              title={
                <span>
                  <CategoryTag category={v.category} /> <Typography.Text strong>{v.policyCode}</Typography.Text>{' '}
                  {v.stopReason ? <Tag color="red">{v.stopReason}</Tag> : null}
                </span>
              }
              description={
                <>
                  <div>{pick(v.summary)}</div>
                  {(v.eligible ? v.because : v.failing).map((r) => (
                    <div key={r.path + r.zh} className="ms-benefit-reason">
                      {r.ok ? '✓' : '✗'} {pick(r)} <Typography.Text type="secondary">({r.path})</Typography.Text>
                    </div>
                  ))}
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

export default PersonBenefitsPanel;
