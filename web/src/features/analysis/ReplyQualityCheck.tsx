import { Alert, Button, Form, Space, Tag, Typography, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt } from '../../api';

interface ReplyScore {
  score: number;
  weak: boolean;
  relevance: number;
  completeness: number;
  timeliness: number;
  missed: string[];
  reasons: Array<{ flag: string; zh: string; en: string }>;
}

/**
 * 答复质量: scores the draft in `field` while the handler types (debounced) and on demand, and
 * warns with the reasons when the reply is weak. The reply can still be sent: this advises.
 */
export function ReplyQualityCheck({ ticketId, form, field }: { ticketId: string; form: FormInstance; field: string }) {
  const { t, i18n } = useTranslation();
  const text = Form.useWatch(field, form) as string | undefined;
  const [result, setResult] = useState<ReplyScore | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (value: string) => {
    if (!value.trim()) return setResult(null);
    setBusy(true);
    const r = await attempt(api.post<{ score: ReplyScore }>(`/api/v1/analysis/tickets/${encodeURIComponent(ticketId)}/reply-score`, { text: value.slice(0, 10_000) }));
    setBusy(false);
    if (r) setResult(r.value.score);
  };

  useEffect(() => {
    const value = typeof text === 'string' ? text : '';
    if (value.trim().length < 4) {
      setResult(null);
      return;
    }
    const timer = setTimeout(() => void check(value), 900);
    return () => clearTimeout(timer);
  }, [text, ticketId]);

  const en = i18n.language === 'en';
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return (
    <div data-testid="reply-quality" data-weak={result ? String(result.weak) : ''} style={{ marginBottom: 12 }}>
      <Space wrap>
        <Button size="small" loading={busy} onClick={() => void check(typeof text === 'string' ? text : '')} data-testid="reply-quality-check">
          {t('insights.reply.check')}
        </Button>
        {result && (
          <>
            <Tag color={result.weak ? 'orange' : 'green'} data-testid="reply-quality-score">
              {t('insights.reply.score', { score: result.score.toFixed(0) })}
            </Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('insights.reply.parts', { r: pct(result.relevance), c: pct(result.completeness), t: pct(result.timeliness) })}
            </Typography.Text>
          </>
        )}
      </Space>
      {result && (
        <Alert
          style={{ marginTop: 8 }}
          type={result.weak ? 'warning' : 'success'}
          showIcon
          title={result.weak ? t('insights.reply.weak') : t('insights.reply.ok')}
          description={
            result.reasons.length > 0 || result.missed.length > 0 ? (
              <>
                {result.reasons.length > 0 && (
                  <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                    {result.reasons.map((r) => (
                      <li key={r.flag}>{en ? r.en : r.zh}</li>
                    ))}
                  </ul>
                )}
                {result.missed.length > 0 && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('insights.reply.missed')}：{result.missed.slice(0, 6).join(en ? ', ' : '、')}
                  </Typography.Text>
                )}
              </>
            ) : undefined
          }
        />
      )}
    </div>
  );
}
