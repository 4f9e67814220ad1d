import { App, Button, Card, Empty, List, Space, Tag, Typography, type FormInstance } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFetch } from '../../shared/useFetch';

export interface KnowledgeEntry {
  id: string;
  version: number;
  question: string;
  answer: string;
  policyBasis: string;
  ownerUnit: string;
  categoryCode: string | null;
  keywords: string[];
  validUntil: string | null;
  expired: boolean;
  flaggedAt: string | null;
  retired: boolean;
  isDemo: boolean;
  updatedAt: string;
}

export interface KnowledgeHit {
  entry: KnowledgeEntry;
  score: number | null;
  relative: number | null;
  matched: string[];
}

interface Suggestions {
  ticketType: string;
  items: KnowledgeHit[];
}

/** The tags of an entry: validity, notification, demo. */
export function KnowledgeTags({ entry }: { entry: KnowledgeEntry }) {
  const { t } = useTranslation();
  return (
    <>
      {entry.expired && <Tag color="red">{t('insights.kb.expired')}</Tag>}
      {entry.flaggedAt && <Tag color="orange">{t('insights.kb.flagged')}</Tag>}
      {entry.retired && <Tag>{t('insights.kb.retired')}</Tag>}
      {entry.isDemo && <Tag color="purple">{t('insights.kb.demo')}</Tag>}
    </>
  );
}

function Hit({ hit, action }: { hit: KnowledgeHit; action: React.ReactNode }) {
  const { t } = useTranslation();
  const e = hit.entry;
  return (
    <List.Item data-testid="kb-suggestion" actions={[action]}>
      <Space orientation="vertical" size={2} style={{ width: '100%' }}>
        <Typography.Text strong>
          {e.question} <KnowledgeTags entry={e} />
        </Typography.Text>
        <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ marginBottom: 0 }}>
          {e.answer}
        </Typography.Paragraph>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('insights.kb.basis')}：{e.policyBasis || '—'} · {t('insights.kb.validUntil')}：{e.validUntil ?? t('insights.kb.noEnd')}
          {hit.matched.length > 0 && ` · ${t('insights.kb.matched')}：${hit.matched.slice(0, 5).join('、')}`}
        </Typography.Text>
      </Space>
    </List.Item>
  );
}

/** 知识库推荐答复 on the ticket page; first for consultations (直办). */
export function KnowledgeAnswersCard({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data } = useFetch<Suggestions>(`/api/v1/analysis/tickets/${encodeURIComponent(ticketId)}/knowledge`);
  const items = data?.items ?? [];
  return (
    <Card size="small" title={t('insights.kb.suggestTitle')} data-testid="kb-suggestions">
      {data?.ticketType === 'consultation' && items.length > 0 && <Typography.Text type="success">{t('insights.kb.consultationHint')}</Typography.Text>}
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('insights.kb.suggestNone')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(hit) => (
            <Hit
              hit={hit}
              action={
                <Button
                  size="small"
                  onClick={() =>
                    void navigator.clipboard?.writeText(hit.entry.answer).then(
                      () => message.success(t('insights.kb.copied')),
                      () => undefined,
                    )
                  }
                >
                  {t('insights.kb.copy')}
                </Button>
              }
            />
          )}
        />
      )}
    </Card>
  );
}

/** In the 直办 dialog: pick a suggested answer into the form field. */
export function KnowledgeAnswerPicker({ ticketId, form, field }: { ticketId: string; form: FormInstance; field: string }) {
  const { t } = useTranslation();
  const { data } = useFetch<Suggestions>(`/api/v1/analysis/tickets/${encodeURIComponent(ticketId)}/knowledge`);
  const items = data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <List
      size="small"
      header={<Typography.Text strong>{t('insights.kb.suggestTitle')}</Typography.Text>}
      dataSource={items}
      data-testid="kb-picker"
      renderItem={(hit) => (
        <Hit
          hit={hit}
          action={
            <Button size="small" type="link" onClick={() => form.setFieldValue(field, `${hit.entry.answer}${hit.entry.policyBasis ? `（${t('insights.kb.basis')}：${hit.entry.policyBasis}）` : ''}`)} data-testid="kb-use">
              {t('insights.kb.use')}
            </Button>
          }
        />
      )}
    />
  );
}
