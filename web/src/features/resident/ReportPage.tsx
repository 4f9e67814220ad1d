import { Alert, Button, Card, Checkbox, Form, Input, Radio, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import i18n from '../../i18n';
import { PublicShell } from './PublicShell';
import { CODE_RE, errorText, newIdempotencyKey, PHONE_RE, residentApi, type Reported, type ReportBody } from './residentApi';
import { TOPICS, type TopicKey } from './topics';

interface ReportForm {
  topic: TopicKey;
  content: string;
  address?: string;
  name?: string;
  anonymous: boolean;
  phone: string;
  code: string;
}

type Geo =
  | { state: 'idle' }
  | { state: 'locating' }
  | { state: 'found'; lon: number; lat: number; place: string }
  | { state: 'failed'; message: string };

const RESEND_SECONDS = 60;
const AREA_RE = /^\d{6,18}$/;

export default function ReportPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const areaParam = params.get('area');
  const area = areaParam && AREA_RE.test(areaParam) ? areaParam : null;
  const [form] = Form.useForm<ReportForm>();
  const [geo, setGeo] = useState<Geo>({ state: 'idle' });
  const [countdown, setCountdown] = useState(0);
  const [sending, setSending] = useState(false);
  const [codeNote, setCodeNote] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Reported | null>(null);
  /** Kept across retries of one submission (a lost response must not make a second ticket). */
  const keyRef = useRef<string | null>(null);

  // A facility's QR code (服务圈) carries the facility's own position (WGS-84): the report is placed
  // there, as if the phone had located itself at the facility.
  const qrLon = params.get('lon');
  const qrLat = params.get('lat');
  useEffect(() => {
    const lon = Number(qrLon);
    const lat = Number(qrLat);
    if (!qrLon || !qrLat || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return;
    residentApi.locate(lon, lat).then(
      (r) => {
        if (!r.inside) return;
        const place = [r.subdistrict?.name, r.community?.name, r.gridCell?.name].filter(Boolean).join(' · ');
        setGeo({ state: 'found', lon, lat, place });
      },
      () => undefined,
    );
  }, [qrLon, qrLat]);

  useEffect(() => {
    if (countdown <= 0) return;
    const timer = setTimeout(() => setCountdown((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [countdown]);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setGeo({ state: 'failed', message: t('resident.geoUnsupported') });
      return;
    }
    setGeo({ state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        // Browser geolocation is WGS-84.
        const lon = Math.round(pos.coords.longitude * 1e6) / 1e6;
        const lat = Math.round(pos.coords.latitude * 1e6) / 1e6;
        residentApi.locate(lon, lat).then(
          (r) => {
            if (!r.inside) {
              setGeo({ state: 'failed', message: t('resident.outside') });
              return;
            }
            const place = [r.subdistrict?.name, r.community?.name, r.gridCell?.name].filter(Boolean).join(' · ');
            setGeo({ state: 'found', lon, lat, place });
            void form.validateFields(['address']).catch(() => undefined);
          },
          (e: unknown) => setGeo({ state: 'failed', message: errorText(e) }),
        );
      },
      (err) => setGeo({ state: 'failed', message: t('resident.geoDenied', { reason: err.message || String(err.code) }) }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const sendCode = async () => {
    const phone = String(form.getFieldValue('phone') ?? '').trim();
    try {
      await form.validateFields(['phone']);
    } catch {
      return;
    }
    setSending(true);
    setCodeNote(null);
    setError(null);
    try {
      await residentApi.sendCode(phone);
      setCountdown(RESEND_SECONDS);
      setCodeNote(t('resident.codeSent'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSending(false);
    }
  };

  const onFinish = async (v: ReportForm) => {
    if (submitting) return;
    const topic = TOPICS.find((x) => x.key === v.topic) ?? TOPICS[TOPICS.length - 1]!;
    const content = v.content.trim();
    // Staff work in Chinese: the title is the topic's Chinese name, or the start of the text for 其他.
    const zhT = i18n.getFixedT('zh-CN');
    const title = topic.key === 'other' ? content.replace(/\s+/g, ' ').slice(0, 30) : zhT(`resident.topics.${topic.key}`);
    const address = v.address?.trim() ?? '';
    const fullAddress = address.slice(0, 200);
    const body: ReportBody = {
      type: topic.type,
      title,
      content,
      ...(topic.categoryCode ? { categoryCode: topic.categoryCode } : {}),
      location: {
        ...(geo.state === 'found' ? { lon: geo.lon, lat: geo.lat, crs: 'wgs84' as const } : {}),
        ...(fullAddress ? { address: fullAddress } : {}),
        // A QR code names its grid cell: the ticket is placed there even without a GPS fix.
        ...(area && geo.state !== 'found' ? { areaCode: area } : {}),
      },
      phone: v.phone.trim(),
      code: v.code.trim(),
      ...(v.name?.trim() && !v.anonymous ? { name: v.name.trim() } : {}),
      anonymous: v.anonymous,
      via: area ? 'qr' : 'web',
    };
    keyRef.current ??= newIdempotencyKey();
    setSubmitting(true);
    setError(null);
    try {
      const r = await residentApi.report(body, keyRef.current);
      keyRef.current = null;
      setDone(r);
      window.scrollTo({ top: 0 });
    } catch (e) {
      // An answer from the server settles this attempt; a network failure keeps the key for the retry.
      if (!(e && typeof e === 'object' && 'status' in e && e.status === 0)) keyRef.current = null;
      setError(errorText(e));
    } finally {
      setSubmitting(false);
    }
  };

  if (done) {
    const trackUrl = `/track?number=${encodeURIComponent(done.number)}&code=${encodeURIComponent(done.queryCode)}`;
    return (
      <PublicShell>
        <Card className="ms-pub-done" data-testid="report-done">
          <Typography.Title level={3} style={{ color: '#389e0d', marginBottom: 0 }}>
            ✓ {t('resident.successTitle')}
          </Typography.Title>
          <div className="ms-pub-done__label">{t('resident.number')}</div>
          <div className="ms-pub-done__value" data-testid="report-number">
            {done.number}
          </div>
          <div className="ms-pub-done__label">{t('resident.queryCode')}</div>
          <div className="ms-pub-done__value ms-pub-done__code" data-testid="report-query-code">
            {done.queryCode}
          </div>
          <Alert className="ms-pub-done__hint" type="warning" showIcon title={t('resident.successHint')} />
          <Link to={trackUrl} data-testid="report-track-link">
            <Button type="primary" size="large" block>
              {t('resident.viewProgress')}
            </Button>
          </Link>
          <Button
            size="large"
            block
            type="link"
            style={{ marginTop: 8 }}
            onClick={() => {
              form.resetFields(['content', 'code']);
              setGeo({ state: 'idle' });
              setCodeNote(null);
              setDone(null);
            }}
          >
            {t('resident.reportAnother')}
          </Button>
        </Card>
      </PublicShell>
    );
  }

  return (
    <PublicShell>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('resident.reportTitle')}
      </Typography.Title>
      <Typography.Paragraph className="ms-pub__intro">{t('resident.reportIntro')}</Typography.Paragraph>
      <Form<ReportForm>
        form={form}
        layout="vertical"
        size="large"
        requiredMark={false}
        initialValues={{ anonymous: false }}
        onFinish={(v) => void onFinish(v)}
        data-testid="report-form"
      >
        <Card size="small">
          <Form.Item name="topic" label={t('resident.topic')} rules={[{ required: true, message: t('common.required') }]}>
            <Radio.Group
              className="ms-pub-topics"
              optionType="button"
              buttonStyle="solid"
              data-testid="report-topic"
              options={TOPICS.map((x) => ({ value: x.key, label: t(`resident.topics.${x.key}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="content"
            label={t('resident.content')}
            rules={[
              { required: true, whitespace: true, message: t('common.required') },
              { min: 5, message: t('resident.contentHint') },
            ]}
          >
            <Input.TextArea
              rows={4}
              maxLength={2000}
              showCount
              placeholder={t('resident.contentPlaceholder')}
              data-testid="report-content"
            />
          </Form.Item>
        </Card>

        <Card size="small">
          <Form.Item label={t('resident.location')} required style={{ marginBottom: 8 }}>
            <div className="ms-pub-loc">
              {area && (
                <Tag color="blue" style={{ padding: '4px 8px', fontSize: 14, whiteSpace: 'normal' }} data-testid="report-area">
                  {t('resident.qrArea', { code: area })}
                </Tag>
              )}
              {geo.state === 'found' ? (
                <div>
                  <span className="ms-pub-loc__found" data-testid="report-located">
                    {geo.place ? t('resident.located', { place: geo.place }) : t('resident.locatedNoName')}
                  </span>{' '}
                  <Button type="link" size="small" onClick={() => setGeo({ state: 'idle' })}>
                    {t('resident.clearLocation')}
                  </Button>
                </div>
              ) : (
                <Button block loading={geo.state === 'locating'} onClick={locate} data-testid="report-locate">
                  {geo.state === 'locating' ? t('resident.locating') : t('resident.useMyLocation')}
                </Button>
              )}
              {geo.state === 'failed' && <Alert type="warning" showIcon title={geo.message} data-testid="report-geo-error" />}
            </div>
          </Form.Item>
          <Form.Item
            name="address"
            label={t('resident.address')}
            rules={[
              { max: 150 },
              {
                validator: async (_, value: unknown) => {
                  if (geo.state === 'found' || area || (typeof value === 'string' && value.trim())) return;
                  throw new Error(t('resident.locationRequired'));
                },
              },
            ]}
          >
            <Input placeholder={t('resident.addressPlaceholder')} autoComplete="street-address" data-testid="report-address" />
          </Form.Item>
        </Card>

        <Card size="small">
          <Form.Item noStyle shouldUpdate={(a, b) => a.anonymous !== b.anonymous}>
            {({ getFieldValue }) => (
              <Form.Item name="name" label={t('resident.name')} rules={[{ max: 50 }]}>
                <Input
                  placeholder={t('resident.namePlaceholder')}
                  autoComplete="name"
                  disabled={Boolean(getFieldValue('anonymous'))}
                  data-testid="report-name"
                />
              </Form.Item>
            )}
          </Form.Item>
          <Form.Item name="anonymous" valuePropName="checked" style={{ marginTop: -8 }}>
            <Checkbox className="ms-pub-anon" data-testid="report-anonymous">
              {t('resident.anonymous')}
            </Checkbox>
          </Form.Item>
          <Form.Item label={t('resident.phone')} required extra={t('resident.phoneHint')} style={{ marginBottom: 0 }}>
            <div className="ms-pub-code-row">
              <Form.Item
                name="phone"
                noStyle
                rules={[
                  { required: true, message: t('resident.phoneInvalid') },
                  { pattern: PHONE_RE, message: t('resident.phoneInvalid') },
                ]}
              >
                <Input
                  type="tel"
                  inputMode="numeric"
                  maxLength={11}
                  autoComplete="tel"
                  placeholder={t('resident.phonePlaceholder')}
                  data-testid="report-phone"
                />
              </Form.Item>
              <Button onClick={() => void sendCode()} loading={sending} disabled={countdown > 0} data-testid="report-send-code">
                {countdown > 0 ? t('resident.resendIn', { seconds: countdown }) : t('resident.sendCode')}
              </Button>
            </div>
            {codeNote && (
              <Typography.Text type="success" data-testid="report-code-sent">
                {codeNote}
              </Typography.Text>
            )}
          </Form.Item>
          <Form.Item
            name="code"
            label={t('resident.code')}
            style={{ marginTop: 18 }}
            rules={[
              { required: true, message: t('resident.codeInvalid') },
              { pattern: CODE_RE, message: t('resident.codeInvalid') },
            ]}
          >
            <Input
              inputMode="numeric"
              maxLength={6}
              autoComplete="one-time-code"
              placeholder={t('resident.codePlaceholder')}
              data-testid="report-code"
            />
          </Form.Item>
        </Card>

        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="report-error" />}
        <Button
          type="primary"
          htmlType="submit"
          block
          size="large"
          loading={submitting}
          disabled={submitting}
          style={{ marginTop: 16, height: 52, fontSize: 18 }}
          data-testid="report-submit"
        >
          {submitting ? t('resident.submitting') : t('resident.submit')}
        </Button>
      </Form>
    </PublicShell>
  );
}
