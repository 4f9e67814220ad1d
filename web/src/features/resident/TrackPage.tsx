import { Alert, Button, Card, Form, Input, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { PublicShell } from './PublicShell';
import { CODE_RE, errorText, NUMBER_RE, RATINGS, residentApi, type PublicRating, type PublicTicket } from './residentApi';

interface TrackForm {
  number: string;
  code: string;
}

const STATUS_COLOR: Record<string, string> = {
  received: 'blue',
  dispatched: 'cyan',
  in_progress: 'processing',
  extension_pending: 'orange',
  returned: 'orange',
  replied: 'green',
  closed: 'default',
  merged: 'default',
};
const KIND_COLOR: Record<string, string> = { replied: 'green', answered_directly: 'green', followed_up: 'green', reopened: 'orange' };
const KNOWN_KINDS = ['received', 'dispatched', 'accepted', 'replied', 'answered_directly', 'followed_up', 'reopened', 'merged'] as const;
type KnownKind = (typeof KNOWN_KINDS)[number];
const isKnown = (k: string): k is KnownKind => (KNOWN_KINDS as readonly string[]).includes(k);
const RESOLUTIONS = ['resolved', 'partially_resolved', 'unresolved', 'not_government'] as const;
type Resolution = (typeof RESOLUTIONS)[number];
const isResolution = (r: string | undefined): r is Resolution => (RESOLUTIONS as readonly (string | undefined)[]).includes(r);
const isRating = (r: string | undefined): r is PublicRating => (RATINGS as readonly (string | undefined)[]).includes(r);

const minutes = (iso: string | null | undefined) => formatDateTime(iso, currentLanguage()).slice(0, 16);

export default function TrackPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<TrackForm>();
  const [ticket, setTicket] = useState<PublicTicket | null>(null);
  const [asked, setAsked] = useState<TrackForm | null>(null);
  const [loading, setLoading] = useState(false);
  const [rating, setRating] = useState<PublicRating | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [thanked, setThanked] = useState(false);
  const lang = currentLanguage();

  const query = useCallback(
    async ({ number, code }: TrackForm) => {
      const q = { number: number.trim(), code: code.trim() };
      setLoading(true);
      setError(null);
      setThanked(false);
      try {
        setTicket(await residentApi.track(q.number, q.code));
        setAsked(q);
        setParams(q, { replace: true });
      } catch (e) {
        setTicket(null);
        setError(errorText(e));
      } finally {
        setLoading(false);
      }
    },
    [setParams],
  );

  // Opened from the success page or an SMS link: look it up at once.
  const first = useRef(true);
  useEffect(() => {
    if (!first.current) return;
    first.current = false;
    const number = params.get('number') ?? '';
    const code = params.get('code') ?? '';
    if (NUMBER_RE.test(number) && CODE_RE.test(code)) void query({ number, code });
  }, [params, query]);

  const rate = async (r: PublicRating) => {
    if (!asked || rating) return;
    setRating(r);
    setError(null);
    try {
      setTicket(await residentApi.rate(asked.number, asked.code, r));
      setThanked(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setRating(null);
    }
  };

  const kindText = (kind: string) => t(`resident.kinds.${isKnown(kind) ? kind : 'unknown'}`);

  return (
    <PublicShell>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('resident.trackTitle')}
      </Typography.Title>
      <Typography.Paragraph className="ms-pub__intro">{t('resident.trackIntro')}</Typography.Paragraph>
      <Card size="small">
        <Form<TrackForm>
          form={form}
          layout="vertical"
          size="large"
          requiredMark={false}
          initialValues={{ number: params.get('number') ?? '', code: params.get('code') ?? '' }}
          onFinish={(v) => void query(v)}
          data-testid="track-form"
        >
          <Form.Item
            name="number"
            label={t('resident.number')}
            rules={[{ required: true, message: t('common.required') }, { pattern: NUMBER_RE, message: t('resident.numberInvalid') }]}
            normalize={(v: string) => v.trim()}
          >
            <Input inputMode="numeric" maxLength={15} placeholder={t('resident.numberPlaceholder')} data-testid="track-number" />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('resident.queryCode')}
            rules={[{ required: true, message: t('common.required') }, { pattern: CODE_RE, message: t('resident.codeInvalid') }]}
            normalize={(v: string) => v.trim()}
          >
            <Input inputMode="numeric" maxLength={6} placeholder={t('resident.queryCodePlaceholder')} data-testid="track-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={loading} style={{ height: 48 }} data-testid="track-submit">
            {t('resident.query')}
          </Button>
        </Form>
      </Card>

      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="track-error" />}

      {ticket && (
        <Card size="small" data-testid="track-result" data-number={ticket.number}>
          <div className="ms-pub-status">
            <span className="ms-pub-status__name" data-testid="track-status" data-status={ticket.status}>
              {ticket.statusName ? (lang === 'en' ? ticket.statusName.en : ticket.statusName.zh) : ticket.status}
            </span>
            <Tag color={STATUS_COLOR[ticket.status] ?? 'default'}>{ticket.number}</Tag>
          </div>
          <Typography.Paragraph strong style={{ marginBottom: 4 }}>
            {ticket.title}
          </Typography.Paragraph>
          <div className="ms-pub-meta">
            <div>
              {t('resident.submittedAt')}：{minutes(ticket.createdAt)}
            </div>
            {ticket.dueAt && (
              <div data-testid="track-due">
                {t('resident.dueAt')}：{minutes(ticket.dueAt)}
              </div>
            )}
          </div>
        </Card>
      )}

      {thanked && <Alert type="success" showIcon title={t('resident.rated')} style={{ marginTop: 12 }} data-testid="track-rated" />}

      {ticket?.canRate && (
        <Card size="small" title={t('resident.rateTitle')} data-testid="track-rate">
          <Typography.Paragraph type="secondary">{t('resident.rateHint')}</Typography.Paragraph>
          <div className="ms-pub-rate">
            {RATINGS.map((r) => (
              <Button
                key={r}
                size="large"
                block
                type={r === 'satisfied' ? 'primary' : 'default'}
                danger={r === 'dissatisfied'}
                loading={rating === r}
                disabled={rating !== null && rating !== r}
                onClick={() => void rate(r)}
                data-testid={`rate-${r}`}
              >
                {t(`tickets.ratings.${r}`)}
              </Button>
            ))}
          </div>
        </Card>
      )}

      {ticket && (
        <Card size="small" title={t('resident.timeline')}>
          <Timeline
            data-testid="track-timeline"
            items={[...ticket.timeline].reverse().map((e, i) => ({
              key: `${e.at}-${i}`,
              color: KIND_COLOR[e.kind] ?? 'blue',
              content: (
                <div data-testid="track-event" data-kind={e.kind}>
                  <Typography.Text strong>{kindText(e.kind)}</Typography.Text>
                  {isResolution(e.resolution) && <Tag style={{ marginInlineStart: 6 }}>{t(`tickets.resolutions.${e.resolution}`)}</Tag>}
                  <div className="ms-pub-event__time">{minutes(e.at)}</div>
                  {e.reply && (
                    <Typography.Paragraph className="ms-pub-text" data-testid="track-reply">
                      {e.reply}
                    </Typography.Paragraph>
                  )}
                  {isRating(e.rating) && (
                    <div data-testid="track-rating">{t('resident.ratingLabel', { rating: t(`tickets.ratings.${e.rating}`) })}</div>
                  )}
                </div>
              ),
            }))}
          />
        </Card>
      )}
    </PublicShell>
  );
}
