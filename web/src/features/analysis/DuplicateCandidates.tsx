import { App, Button, Card, Empty, List, Popconfirm, Space, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { attempt } from '../../api';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { useFetch } from '../../shared/useFetch';
import { postAct } from '../tickets/ticketsApi';

interface Duplicate {
  ticket: { id: string; number: string; title: string; status: string; createdAt: string; category: string | null; gridCell: string | null };
  evidence: { score: number; textScore: number; minhash: number; cosine: number; sharedWords: string[]; distanceMetres: number | null; sameGridCell: boolean; timeGapHours: number };
}

/** 疑似重复: open tickets nearby that read like this one, with the evidence; 并单 with one click. */
export function DuplicateCandidates({ ticketId, canMerge, onMerged }: { ticketId: string; canMerge: boolean; onMerged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const lang = currentLanguage();
  const { data } = useFetch<{ items: Duplicate[] }>(`/api/v1/analysis/tickets/${encodeURIComponent(ticketId)}/duplicates`);
  const items = data?.items ?? [];
  const merge = async (into: string) => {
    const r = await attempt(postAct(ticketId, 'merge', { into }));
    if (r) {
      void message.success(t('insights.dup.merged'));
      onMerged();
    }
  };
  return (
    <Card size="small" title={t('insights.dup.title')} data-testid="ticket-duplicates">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('insights.dup.none')} />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(d) => (
            <List.Item
              data-testid="duplicate-item"
              actions={
                canMerge
                  ? [
                      <Popconfirm key="m" title={t('insights.dup.mergeConfirm', { number: d.ticket.number })} onConfirm={() => void merge(d.ticket.id)}>
                        <Button size="small" data-testid="duplicate-merge">
                          {t('insights.dup.mergeInto')}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <Space orientation="vertical" size={2}>
                <Link to={`/tickets/${d.ticket.id}`}>
                  {d.ticket.number} · {d.ticket.title}
                </Link>
                <Space size={4} wrap>
                  <Tag color={d.evidence.score >= 0.7 ? 'red' : 'orange'}>{t('insights.dup.score', { score: Math.round(d.evidence.score * 100) })}</Tag>
                  <Tag>{d.evidence.distanceMetres === null ? t('insights.dup.noDistance') : t('insights.dup.distance', { m: d.evidence.distanceMetres })}</Tag>
                  <Tag>{t('insights.dup.gap', { h: d.evidence.timeGapHours })}</Tag>
                  {d.evidence.sameGridCell && <Tag color="blue">{t('insights.dup.sameCell')}</Tag>}
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('insights.dup.shared')}：{d.evidence.sharedWords.join('、') || '—'} · {formatDateTime(d.ticket.createdAt, lang)}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      )}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('insights.dup.hint')}
      </Typography.Text>
    </Card>
  );
}
