import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { withQuery } from '../../api';
import { useFetch } from '../../shared/useFetch';
import type { Explanation } from './types';
import { useBi } from './util';
import { CategoryTag } from './CategoryTag';

/** Why: the clauses that hold (eligible) or the ones that fail (not eligible), each with its path. */
export function ExplanationReasons({ explanation: v }: { explanation: Explanation }) {
  const bi = useBi();
  return (
    <>
      {(v.eligible ? v.because : v.failing).map((r) => (
        <div key={r.path + r.zh} className="ms-benefit-reason">
          {r.ok ? '✓' : '✗'} {bi(r)} <Typography.Text type="secondary">({r.path})</Typography.Text>
        </div>
      ))}
    </>
  );
}

/** Every policy's verdict for one person, explained — mounted on the residents' person page. */
export function PersonBenefitsPanel({ personId, date }: { personId: string; date?: string }) {
  const { t } = useTranslation();
  const day = date ?? new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  const { data, loading } = useFetch<{ verdicts: Explanation[] }>(withQuery('/api/v1/benefits/explain', { person: personId, date: day }));
  const pick = useBi();
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
                  <ExplanationReasons explanation={v} />
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
