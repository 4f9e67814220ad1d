import { App, Button, Cascader, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api';
import {
  TICKET_TYPES,
  TICKET_URGENCIES,
  type Items,
  type TicketCategory,
  type TicketChannel,
  type TicketType,
  type TicketUrgency,
  type TicketView,
} from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { categoryTree } from './categories';
import { createTicket, TICKETS, type CreateTicketBody } from './ticketsApi';

/** Channels staff record themselves; residents' own channels have their own intake. */
const STAFF_CHANNELS = ['hotline', 'grid_patrol', 'supervision'] as const satisfies readonly TicketChannel[];

interface TicketForm {
  type: TicketType;
  channel: TicketChannel;
  urgency: TicketUrgency;
  category?: string[];
  title: string;
  content: string;
  address?: string;
  lon?: number | null;
  lat?: number | null;
  anonymous: boolean;
  name?: string;
  phone?: string;
}

interface Props {
  open: boolean;
  onClose: () => void;
  onCreated: (ticket: TicketView) => void;
}

const newKey = () => crypto.randomUUID();

/** 登记诉求: the hotline form. */
export function CreateTicketModal({ open, onClose, onCreated }: Props) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TicketForm>();
  const [saving, setSaving] = useState(false);
  // One key per ticket being entered: a double click or a retry replays the first answer.
  const key = useRef(newKey());
  const categories = useFetch<Items<TicketCategory>>(open ? `${TICKETS}/categories` : null);
  const options = useMemo(() => categoryTree(categories.data?.items ?? [], i18n.language === 'en'), [categories.data, i18n.language]);
  const anonymous = Form.useWatch('anonymous', form);

  const close = () => {
    form.resetFields();
    key.current = newKey();
    onClose();
  };

  const submit = async (v: TicketForm) => {
    const text = (s: string | undefined) => (s?.trim() ? s.trim() : undefined);
    const hasPoint = typeof v.lon === 'number' && typeof v.lat === 'number';
    const address = text(v.address);
    const body: CreateTicketBody = {
      type: v.type,
      channel: v.channel,
      urgency: v.urgency,
      title: v.title.trim(),
      content: v.content.trim(),
      ...(v.category?.length ? { categoryCode: v.category.at(-1) } : {}),
      ...(hasPoint || address
        ? { location: { ...(hasPoint ? { lon: v.lon!, lat: v.lat!, crs: 'wgs84' as const } : {}), ...(address ? { address } : {}) } }
        : {}),
      requester: v.anonymous ? { anonymous: true } : { anonymous: false, name: text(v.name), phone: text(v.phone) },
    };
    setSaving(true);
    try {
      const { ticket } = await createTicket(body, key.current);
      form.resetFields();
      key.current = newKey();
      void message.success(t('tickets.created', { number: ticket.number }));
      onCreated(ticket);
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };

  const required = { required: true, whitespace: true, message: t('common.required') };
  const pairRule = (other: 'lon' | 'lat') => ({
    validator: async (_: unknown, value: number | null | undefined) => {
      const otherValue = form.getFieldValue(other) as number | null | undefined;
      if ((typeof value === 'number') !== (typeof otherValue === 'number')) throw new Error(t('tickets.form.lonLatTogether'));
    },
  });

  return (
    <Modal
      open={open}
      width={680}
      title={t('tickets.form.title')}
      onCancel={close}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={close}>
          {t('common.cancel')}
        </Button>,
        <Button key="submit" type="primary" loading={saving} onClick={() => form.submit()} data-testid="ticket-form-submit">
          {t('tickets.form.submit')}
        </Button>,
      ]}
    >
      <Form<TicketForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid="ticket-form"
        autoComplete="off"
        initialValues={{ type: 'complaint', channel: 'hotline', urgency: 'normal', anonymous: false }}
      >
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item name="type" label={t('tickets.type')} rules={[{ required: true }]}>
              <Select data-testid="ticket-form-type" options={TICKET_TYPES.map((v) => ({ value: v, label: t(`tickets.types.${v}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="urgency" label={t('tickets.urgency')} rules={[{ required: true }]}>
              <Select data-testid="ticket-form-urgency" options={TICKET_URGENCIES.map((v) => ({ value: v, label: t(`tickets.urgencies.${v}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="channel" label={t('tickets.channel')} rules={[{ required: true }]}>
              <Select data-testid="ticket-form-channel" options={STAFF_CHANNELS.map((v) => ({ value: v, label: t(`tickets.channels.${v}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="category" label={t('tickets.category')}>
          <Cascader
            options={options}
            changeOnSelect
            showSearch
            placeholder={t('tickets.form.categoryPlaceholder')}
            data-testid="ticket-form-category"
          />
        </Form.Item>
        <Form.Item name="title" label={t('tickets.title')} rules={[required]}>
          <Input maxLength={100} placeholder={t('tickets.form.titlePlaceholder')} data-testid="ticket-form-title" />
        </Form.Item>
        <Form.Item name="content" label={t('tickets.content')} rules={[required]}>
          <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('tickets.form.contentPlaceholder')} data-testid="ticket-form-content" />
        </Form.Item>
        <Form.Item name="address" label={t('tickets.address')}>
          <Input maxLength={200} placeholder={t('tickets.form.addressPlaceholder')} data-testid="ticket-form-address" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="lon" label={t('tickets.form.lon')} extra={t('tickets.form.lonLatHint')} dependencies={['lat']} rules={[pairRule('lat')]}>
              <InputNumber min={-180} max={180} step={0.0001} style={{ width: '100%' }} data-testid="ticket-form-lon" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="lat" label={t('tickets.form.lat')} dependencies={['lon']} rules={[pairRule('lon')]}>
              <InputNumber min={-90} max={90} step={0.0001} style={{ width: '100%' }} data-testid="ticket-form-lat" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="anonymous" valuePropName="checked">
          <Checkbox data-testid="ticket-form-anonymous">{t('tickets.form.anonymous')}</Checkbox>
        </Form.Item>
        {!anonymous && (
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="name" label={t('tickets.requesterName')}>
                <Input maxLength={50} data-testid="ticket-form-name" />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="phone"
                label={t('tickets.phone')}
                rules={[{ pattern: /^[0-9+\- ]{5,20}$/, message: t('tickets.form.phoneInvalid') }]}
              >
                <Input maxLength={20} data-testid="ticket-form-phone" />
              </Form.Item>
            </Col>
          </Row>
        )}
      </Form>
    </Modal>
  );
}
