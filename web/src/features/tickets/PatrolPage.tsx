import { Alert, App, Button, Card, Cascader, Form, Input, List, Result, Segmented, Space, Tag, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../../api';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import type { Items, Page, TicketCategory, TicketView } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { categoryTree } from './categories';
import { toBase64 } from './TicketExtras';
import { createTicket, listPath, ticketPath, TICKETS } from './ticketsApi';
import { StatusTag } from './TicketTags';

interface PatrolForm {
  category?: string[];
  title: string;
  content: string;
  address?: string;
}

type Fix = { lon: number; lat: number; accuracy: number };
const PATROL_TYPES = ['report', 'help', 'suggestion'] as const;
const MAX_PHOTOS = 9;
const newKey = () => crypto.randomUUID();

/**
 * 网格巡查: a grid worker on the street reports what they found — phone-sized, the position from
 * the phone's GPS (WGS-84, as the server stores it), photos, and the worker's recent reports.
 */
export default function PatrolPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const lang = currentLanguage();
  const [form] = Form.useForm<PatrolForm>();
  const [type, setType] = useState<(typeof PATROL_TYPES)[number]>('report');
  const [fix, setFix] = useState<Fix | null>(null);
  const [locating, setLocating] = useState(false);
  const [photos, setPhotos] = useState<File[]>([]);
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<TicketView | null>(null);
  const key = useRef(newKey());
  const fileInput = useRef<HTMLInputElement>(null);
  const categories = useFetch<Items<TicketCategory>>(`${TICKETS}/categories`);
  const options = useMemo(() => categoryTree(categories.data?.items ?? [], i18n.language === 'en'), [categories.data, i18n.language]);
  const recent = useFetch<Page<TicketView>>(`${listPath({ channel: 'grid_patrol' }, 1, 10)}&r=${created?.id ?? ''}`);

  const locate = () => {
    if (!('geolocation' in navigator)) {
      void message.warning(t('patrol.noGps'));
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setFix({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: Math.round(p.coords.accuracy) });
        setLocating(false);
      },
      () => {
        setLocating(false);
        void message.warning(t('patrol.gpsFailed'));
      },
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  const submit = async (v: PatrolForm) => {
    const address = v.address?.trim();
    if (!fix && !address) {
      void message.warning(t('patrol.needPlace'));
      return;
    }
    setSaving(true);
    try {
      const { ticket } = await createTicket(
        {
          type,
          channel: 'grid_patrol',
          urgency: 'normal',
          title: v.title.trim(),
          content: v.content.trim(),
          ...(v.category?.length ? { categoryCode: v.category.at(-1) } : {}),
          location: { ...(fix ? { lon: fix.lon, lat: fix.lat, crs: 'wgs84' as const } : {}), ...(address ? { address } : {}) },
          requester: { anonymous: true },
        },
        key.current,
      );
      for (const file of photos) {
        await api.post(`${ticketPath(ticket.id)}/attachments`, { fileName: file.name, contentBase64: await toBase64(file) });
      }
      key.current = newKey();
      form.resetFields();
      setPhotos([]);
      setFix(null);
      setCreated(ticket);
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  const required = { required: true, whitespace: true, message: t('common.required') };

  return (
    <div className="ms-patrol" data-testid="patrol-page" style={{ maxWidth: 560, margin: '0 auto' }}>
      {created ? (
        <Result
          status="success"
          title={t('patrol.created', { number: created.number })}
          subTitle={created.location.gridCell?.name ?? created.location.community?.name ?? ''}
          extra={[
            <Button type="primary" key="again" onClick={() => setCreated(null)} data-testid="patrol-again">
              {t('patrol.again')}
            </Button>,
            <Link key="open" to={`/tickets/${created.id}`}>
              {t('patrol.open')}
            </Link>,
          ]}
        />
      ) : (
        <Card size="small" title={t('patrol.title')}>
          <Form<PatrolForm> form={form} layout="vertical" onFinish={submit} autoComplete="off" data-testid="patrol-form">
            <Form.Item label={t('tickets.type')}>
              <Segmented block value={type} onChange={(v) => setType(v as typeof type)} options={PATROL_TYPES.map((v) => ({ value: v, label: t(`tickets.types.${v}`) }))} />
            </Form.Item>
            <Form.Item name="category" label={t('tickets.category')}>
              <Cascader options={options} changeOnSelect showSearch placeholder={t('tickets.form.categoryPlaceholder')} />
            </Form.Item>
            <Form.Item name="title" label={t('tickets.title')} rules={[required, { max: 100 }]}>
              <Input data-testid="patrol-title" maxLength={100} />
            </Form.Item>
            <Form.Item name="content" label={t('tickets.content')} rules={[required, { max: 4000 }]}>
              <Input.TextArea data-testid="patrol-content" rows={4} maxLength={4000} />
            </Form.Item>
            <Form.Item label={t('patrol.place')}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Button block onClick={locate} loading={locating} data-testid="patrol-locate">
                  {fix ? t('patrol.located', { accuracy: fix.accuracy }) : t('patrol.locate')}
                </Button>
                {fix && (
                  <Typography.Text type="secondary" data-testid="patrol-fix">
                    {fix.lon.toFixed(6)}, {fix.lat.toFixed(6)} (WGS-84)
                  </Typography.Text>
                )}
              </Space>
            </Form.Item>
            <Form.Item name="address" label={t('patrol.address')}>
              <Input data-testid="patrol-address" maxLength={200} placeholder={t('patrol.addressHint')} />
            </Form.Item>
            <Form.Item label={t('patrol.photos', { n: photos.length, max: MAX_PHOTOS })}>
              <input
                ref={fileInput}
                type="file"
                accept="image/jpeg,image/png,image/webp"
                capture="environment"
                multiple
                style={{ display: 'none' }}
                onChange={(e) => {
                  const picked = Array.from(e.target.files ?? []);
                  setPhotos((p) => [...p, ...picked].slice(0, MAX_PHOTOS));
                  e.target.value = '';
                }}
              />
              <Space wrap>
                <Button onClick={() => fileInput.current?.click()} disabled={photos.length >= MAX_PHOTOS}>
                  {t('patrol.addPhoto')}
                </Button>
                {photos.map((p, i) => (
                  <Tag key={`${p.name}-${i}`} closable onClose={() => setPhotos((all) => all.filter((_, j) => j !== i))}>
                    {p.name}
                  </Tag>
                ))}
              </Space>
            </Form.Item>
            <Button type="primary" block size="large" htmlType="submit" loading={saving} data-testid="patrol-submit">
              {t('patrol.submit')}
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title={t('patrol.recent')} style={{ marginTop: 12 }}>
        {recent.data && recent.data.items.length === 0 ? (
          <Alert type="info" title={t('patrol.none')} />
        ) : (
          <List
            size="small"
            loading={recent.loading}
            dataSource={recent.data?.items ?? []}
            renderItem={(x) => (
              <List.Item>
                <Space orientation="vertical" size={0}>
                  <Link to={`/tickets/${x.id}`}>
                    {x.number} · {x.title}
                  </Link>
                  <Space size={4}>
                    <StatusTag status={x.status} />
                    <Typography.Text type="secondary">{formatDateTime(x.createdAt, lang)}</Typography.Text>
                  </Space>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
    </div>
  );
}
