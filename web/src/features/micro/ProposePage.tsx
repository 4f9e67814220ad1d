import { Alert, Button, Card, Cascader, Form, Input, InputNumber, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { MicroShell } from './MicroShell';
import { PhoneGate } from './PhoneGate';
import { errorText, newKey, publicMicroApi, residentToken, type Places, type Proposal, type ProposeInput } from './microApi';

interface FormValues {
  title: string;
  description: string;
  community?: string[];
  address?: string;
  costYuan: number;
}

type Geo = { state: 'idle' } | { state: 'locating' } | { state: 'found'; lon: number; lat: number; place: string } | { state: 'failed'; message: string };

const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const AREA_RE = /^\d{9,18}$/;

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.readAsDataURL(file);
  });
}

/** 我要提议: title, description, place (my location, a QR area, or a community), cost, photos. */
export default function ProposePage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const areaParam = params.get('area');
  const area = areaParam && AREA_RE.test(areaParam) ? areaParam : null;
  const [form] = Form.useForm<FormValues>();
  const [places, setPlaces] = useState<Places | null>(null);
  const [geo, setGeo] = useState<Geo>({ state: 'idle' });
  const [photos, setPhotos] = useState<File[]>([]);
  const [photoError, setPhotoError] = useState<string | null>(null);
  const [verified, setVerified] = useState(() => residentToken.get() !== null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Proposal | null>(null);
  const keyRef = useRef<string | null>(null);

  useEffect(() => {
    publicMicroApi.places().then(setPlaces, () => undefined);
  }, []);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setGeo({ state: 'failed', message: t('resident.geoUnsupported') });
      return;
    }
    setGeo({ state: 'locating' });
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const lon = Math.round(pos.coords.longitude * 1e6) / 1e6;
        const lat = Math.round(pos.coords.latitude * 1e6) / 1e6;
        publicMicroApi.locate(lon, lat).then(
          (r) => {
            if (!r.inside) return setGeo({ state: 'failed', message: t('resident.outside') });
            setGeo({ state: 'found', lon, lat, place: [r.subdistrict?.name, r.community?.name, r.gridCell?.name].filter(Boolean).join(' · ') });
          },
          (e: unknown) => setGeo({ state: 'failed', message: errorText(e) }),
        );
      },
      (err) => setGeo({ state: 'failed', message: t('resident.geoDenied', { reason: err.message || String(err.code) }) }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  };

  const pickPhotos = (files: FileList | null) => {
    setPhotoError(null);
    const list = [...(files ?? [])];
    if (list.length > 3) return setPhotoError(t('micro.photoTooMany'));
    const bad = list.find((f) => f.size > MAX_PHOTO_BYTES);
    if (bad) return setPhotoError(t('micro.photoTooBig', { name: bad.name }));
    setPhotos(list);
  };

  const onFinish = async (v: FormValues) => {
    if (submitting) return;
    const address = v.address?.trim() || undefined;
    const community = v.community?.[1];
    let place: ProposeInput['place'];
    if (geo.state === 'found') place = { lon: geo.lon, lat: geo.lat, crs: 'wgs84', ...(address ? { address } : {}) };
    else if (community) place = { areaCode: community, ...(address ? { address } : {}) };
    else if (area) place = { areaCode: area, ...(address ? { address } : {}) };
    else return setError(t('micro.placeRequired'));
    setSubmitting(true);
    setError(null);
    try {
      const body: ProposeInput = {
        title: v.title.trim(),
        description: v.description.trim(),
        place,
        estimatedCostFen: Math.round(v.costYuan * 100),
        photos: await Promise.all(photos.map(async (f) => ({ fileName: f.name, contentBase64: await toBase64(f) }))),
      };
      keyRef.current ??= newKey();
      const r = await publicMicroApi.propose(body, keyRef.current);
      keyRef.current = null;
      setDone(r.proposal);
      window.scrollTo({ top: 0 });
    } catch (e) {
      if (!(e && typeof e === 'object' && 'status' in e && e.status === 0)) keyRef.current = null;
      setError(errorText(e));
    } finally {
      setSubmitting(false);
    }
  };

  if (done) {
    return (
      <MicroShell>
        <Card className="ms-pub-done" data-testid="micro-proposed">
          <Typography.Title level={3} style={{ color: '#389e0d', marginBottom: 0 }}>
            ✓ {t('micro.proposedTitle')}
          </Typography.Title>
          <div className="ms-pub-done__label">{t('micro.number')}</div>
          <div className="ms-pub-done__value" data-testid="micro-proposed-number">
            {done.number}
          </div>
          <Typography.Paragraph>{t('micro.proposedHint')}</Typography.Paragraph>
          <Link to={`/micro/p/${done.number}`} data-testid="micro-proposed-link">
            <Button type="primary" size="large" block>
              {t('micro.viewProposal')}
            </Button>
          </Link>
        </Card>
      </MicroShell>
    );
  }

  return (
    <MicroShell>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('micro.proposeTitle')}
      </Typography.Title>
      <Typography.Paragraph className="ms-pub__intro">{t('micro.proposeIntro')}</Typography.Paragraph>
      <Form<FormValues> form={form} layout="vertical" size="large" requiredMark={false} onFinish={(v) => void onFinish(v)} data-testid="micro-form">
        <Card size="small">
          <Form.Item name="title" label={t('micro.title')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 60 }]}>
            <Input maxLength={60} showCount placeholder={t('micro.titlePlaceholder')} data-testid="micro-title" />
          </Form.Item>
          <Form.Item name="description" label={t('micro.description')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 2000 }]}>
            <Input.TextArea rows={4} maxLength={2000} showCount placeholder={t('micro.descriptionPlaceholder')} data-testid="micro-description" />
          </Form.Item>
          <Form.Item
            name="costYuan"
            label={t('micro.cost')}
            extra={t('micro.costHint')}
            rules={[
              { required: true, message: t('common.required') },
              { type: 'number', min: 0.01, max: 1_000_000, message: t('micro.costRange') },
            ]}
          >
            <InputNumber style={{ width: '100%' }} min={0} precision={2} inputMode="decimal" suffix="元" data-testid="micro-cost" />
          </Form.Item>
        </Card>
        <Card size="small">
          <Form.Item label={t('micro.place')} required style={{ marginBottom: 8 }}>
            {area && geo.state !== 'found' && <Tag color="blue" data-testid="micro-area">{t('resident.qrArea', { code: area })}</Tag>}
            {geo.state === 'found' ? (
              <div data-testid="micro-located">
                {t('resident.located', { place: geo.place })}{' '}
                <Button type="link" size="small" onClick={() => setGeo({ state: 'idle' })}>
                  {t('resident.clearLocation')}
                </Button>
              </div>
            ) : (
              <Button block loading={geo.state === 'locating'} onClick={locate} data-testid="micro-locate">
                {t('resident.useMyLocation')}
              </Button>
            )}
            {geo.state === 'failed' && <Alert type="warning" showIcon title={geo.message} style={{ marginTop: 8 }} />}
          </Form.Item>
          {geo.state !== 'found' && (
            <Form.Item name="community" label={t('micro.community')}>
              <Cascader
                showSearch
                placeholder={t('micro.communityPlaceholder')}
                options={(places?.subdistricts ?? []).map((s) => ({ value: s.code, label: s.name, children: s.communities.map((c) => ({ value: c.code, label: c.name })) }))}
                data-testid="micro-community"
              />
            </Form.Item>
          )}
          <Form.Item name="address" label={t('micro.address')} rules={[{ max: 200 }]}>
            <Input placeholder={t('resident.addressPlaceholder')} data-testid="micro-address" />
          </Form.Item>
          <Form.Item label={t('micro.photos')} extra={t('micro.photosHint')} style={{ marginBottom: 0 }}>
            <input type="file" accept="image/jpeg,image/png,image/webp" multiple onChange={(e) => pickPhotos(e.target.files)} data-testid="micro-photos" />
            {photoError && <Alert type="error" showIcon title={photoError} style={{ marginTop: 8 }} />}
          </Form.Item>
        </Card>
        <div style={{ marginTop: 12 }}>
          <PhoneGate onChange={(p) => setVerified(p !== null)} />
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="micro-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={submitting} disabled={!verified || submitting} style={{ marginTop: 16, height: 52, fontSize: 18 }} data-testid="micro-submit">
          {verified ? t('micro.submit') : t('micro.verifyFirst')}
        </Button>
      </Form>
    </MicroShell>
  );
}
