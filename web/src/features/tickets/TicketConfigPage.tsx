import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt } from '../../api';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { TICKET_TYPES, TICKET_URGENCIES, type Items, type TicketCategory } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { TICKETS } from './ticketsApi';
import { useUnits } from './useUnits';

interface Route {
  categoryCode: string;
  areaPath: string | null;
  unit: string;
  reason: string;
}
interface TimeLimit {
  ticketType: string | null;
  categoryCode: string | null;
  urgency: string | null;
  acceptWorkingHours: number;
  handleWorkingDays: number | null;
  handleWorkingHours: number | null;
}
interface ApiKey {
  id: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

function useCategories() {
  const categories = useFetch<Items<TicketCategory>>(`${TICKETS}/categories`);
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  const byCode = useMemo(() => new Map((categories.data?.items ?? []).map((c) => [c.code, c])), [categories.data]);
  const label = (code: string | null) => {
    if (!code) return '*';
    const c = byCode.get(code);
    return c ? `${en && c.nameEn ? c.nameEn : c.name} (${code})` : code;
  };
  const options = (categories.data?.items ?? []).map((c) => ({ value: c.code, label: `${'　'.repeat(c.level - 1)}${label(c.code)}` }));
  return { ...categories, label, options };
}

/** 分类目录: the district's three-level catalogue, editable; categories marked auto-dispatch skip the dispatcher. */
function CategoriesTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const cats = useCategories();
  const [editing, setEditing] = useState<Partial<TicketCategory> | null>(null);
  const [form] = Form.useForm<TicketCategory>();
  const tree = useMemo(() => {
    type Node = TicketCategory & { children?: Node[] };
    const items = cats.data?.items ?? [];
    const build = (parent: string | null): Node[] =>
      items.filter((c) => c.parentCode === parent).map((c) => {
        const children = build(c.code);
        return children.length ? { ...c, children } : { ...c };
      });
    return build(null);
  }, [cats.data]);

  const save = async (v: TicketCategory) => {
    const body = { code: v.code, parentCode: v.parentCode ?? null, name: v.name, nameEn: v.nameEn ?? '', active: v.active ?? true, autoDispatch: v.autoDispatch ?? false };
    if (await attempt(api.post(`${TICKETS}/categories`, body))) {
      void message.success(t('ticketConfig.saved'));
      setEditing(null);
      cats.reload();
    }
  };
  const columns: ColumnsType<TicketCategory> = [
    { key: 'name', title: t('ticketConfig.name'), render: (_, c) => (i18n.language === 'en' && c.nameEn ? c.nameEn : c.name) },
    { key: 'code', title: t('ticketConfig.code'), dataIndex: 'code' },
    { key: 'level', title: t('ticketConfig.level'), dataIndex: 'level', width: 70 },
    { key: 'active', title: t('ticketConfig.active'), render: (_, c) => (c.active ? <Tag color="green">{t('ticketConfig.yes')}</Tag> : <Tag>{t('ticketConfig.no')}</Tag>) },
    { key: 'auto', title: t('ticketConfig.autoDispatch'), render: (_, c) => (c.autoDispatch ? <Tag color="blue">{t('ticketConfig.yes')}</Tag> : null) },
    {
      key: 'act',
      width: 160,
      render: (_, c) => (
        <Space>
          <Button size="small" onClick={() => setEditing(c)}>
            {t('ticketConfig.edit')}
          </Button>
          {c.level < 3 && (
            <Button size="small" onClick={() => setEditing({ parentCode: c.code, active: true, autoDispatch: false })}>
              {t('ticketConfig.addChild')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <>
      <div className="ms-toolbar">
        <Button type="primary" onClick={() => setEditing({ parentCode: null, active: true, autoDispatch: false })} data-testid="category-add">
          {t('ticketConfig.addTop')}
        </Button>
      </div>
      <Table<TicketCategory> size="small" rowKey="code" loading={cats.loading} columns={columns} dataSource={tree} pagination={false} />
      <Modal
        open={editing !== null}
        title={editing?.code ? t('ticketConfig.editCategory') : t('ticketConfig.newCategory')}
        onCancel={() => setEditing(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form<TicketCategory> form={form} layout="vertical" initialValues={editing ?? {}} onFinish={save} preserve={false}>
          <Form.Item name="parentCode" label={t('ticketConfig.parent')}>
            <Select allowClear disabled={!!editing?.code} options={cats.options} />
          </Form.Item>
          <Form.Item name="code" label={t('ticketConfig.code')} rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{1,40}$/, message: t('ticketConfig.codeRule') }]}>
            <Input disabled={!!editing?.code} />
          </Form.Item>
          <Form.Item name="name" label={t('ticketConfig.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="nameEn" label={t('ticketConfig.nameEn')} rules={[{ max: 80 }]}>
            <Input />
          </Form.Item>
          <Space size="large">
            <Form.Item name="active" label={t('ticketConfig.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="autoDispatch" label={t('ticketConfig.autoDispatch')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

interface RoutingAnswer {
  routes: Route[];
  timeLimits: TimeLimit[];
}

/** 派单规则: category (× area) → unit, with the reason the dispatcher sees. */
function RoutesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const cats = useCategories();
  const units = useUnits();
  const routing = useFetch<RoutingAnswer>(`${TICKETS}/routing`);
  const [form] = Form.useForm<{ categoryCode: string; areaCode?: string; unit: string; reason: string }>();
  const save = async (v: { categoryCode: string; areaCode?: string; unit: string; reason: string }) => {
    const body = { categoryCode: v.categoryCode, areaCode: v.areaCode?.trim() || null, unit: v.unit, reason: v.reason };
    if (await attempt(api.post(`${TICKETS}/routing/routes`, body))) {
      void message.success(t('ticketConfig.saved'));
      form.resetFields();
      routing.reload();
    }
  };
  const unitOptions = [{ label: t('ticketConfig.local'), options: [{ value: 'subdistrict:local', label: t('ticketConfig.localUnit') }] }, ...units.options];
  const columns: ColumnsType<Route> = [
    { key: 'cat', title: t('ticketConfig.category'), render: (_, r) => cats.label(r.categoryCode) },
    { key: 'area', title: t('ticketConfig.area'), render: (_, r) => r.areaPath ?? t('ticketConfig.wholeDistrict') },
    { key: 'unit', title: t('ticketConfig.unit'), render: (_, r) => (r.unit === 'subdistrict:local' ? t('ticketConfig.localUnit') : units.name(r.unit)) },
    { key: 'reason', title: t('ticketConfig.reason'), dataIndex: 'reason' },
  ];
  return (
    <>
      <Card size="small" title={t('ticketConfig.setRoute')} style={{ marginBottom: 12 }}>
        <Form form={form} layout="inline" onFinish={save}>
          <Form.Item name="categoryCode" rules={[{ required: true, message: t('common.required') }]}>
            <Select showSearch optionFilterProp="label" style={{ width: 260 }} placeholder={t('ticketConfig.category')} options={cats.options} />
          </Form.Item>
          <Form.Item name="areaCode" rules={[{ pattern: /^[0-9]{6,18}$/, message: t('ticketConfig.areaRule') }]}>
            <Input style={{ width: 180 }} placeholder={t('ticketConfig.areaCodeOptional')} />
          </Form.Item>
          <Form.Item name="unit" rules={[{ required: true, message: t('common.required') }]}>
            <Select style={{ width: 220 }} placeholder={t('ticketConfig.unit')} options={unitOptions} />
          </Form.Item>
          <Form.Item name="reason" rules={[{ required: true, whitespace: true, max: 100, message: t('common.required') }]}>
            <Input style={{ width: 200 }} placeholder={t('ticketConfig.reasonHint')} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('ticketConfig.save')}
          </Button>
        </Form>
      </Card>
      <Table<Route>
        size="small"
        rowKey={(r) => `${r.categoryCode}|${r.areaPath ?? ''}`}
        loading={routing.loading}
        columns={columns}
        dataSource={routing.data?.routes ?? []}
        pagination={{ pageSize: 50 }}
      />
    </>
  );
}

/** 办理时限: type × category × urgency → accept within working hours, handle within working days or hours. */
function TimeLimitsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const cats = useCategories();
  const routing = useFetch<RoutingAnswer>(`${TICKETS}/routing`);
  type LimitForm = { ticketType?: string; categoryCode?: string; urgency?: string; acceptWorkingHours: number; amount: number; unitOfTime: 'days' | 'hours' };
  const [form] = Form.useForm<LimitForm>();
  const save = async (v: LimitForm) => {
    const body = {
      ticketType: v.ticketType ?? null,
      categoryCode: v.categoryCode ?? null,
      urgency: v.urgency ?? null,
      acceptWorkingHours: v.acceptWorkingHours,
      handleWorkingDays: v.unitOfTime === 'days' ? v.amount : null,
      handleWorkingHours: v.unitOfTime === 'hours' ? v.amount : null,
    };
    if (await attempt(api.post(`${TICKETS}/routing/time-limits`, body))) {
      void message.success(t('ticketConfig.saved'));
      routing.reload();
    }
  };
  const columns: ColumnsType<TimeLimit> = [
    { key: 'type', title: t('tickets.type'), render: (_, l) => (l.ticketType ? t(`tickets.types.${l.ticketType as (typeof TICKET_TYPES)[number]}`) : '*') },
    { key: 'cat', title: t('ticketConfig.category'), render: (_, l) => cats.label(l.categoryCode) },
    { key: 'urgency', title: t('tickets.urgency'), render: (_, l) => (l.urgency ? t(`tickets.urgencies.${l.urgency as (typeof TICKET_URGENCIES)[number]}`) : '*') },
    { key: 'accept', title: t('ticketConfig.acceptWithin'), render: (_, l) => t('ticketConfig.workingHours', { n: l.acceptWorkingHours }) },
    {
      key: 'handle',
      title: t('ticketConfig.handleWithin'),
      render: (_, l) => (l.handleWorkingDays !== null ? t('ticketConfig.workingDays', { n: l.handleWorkingDays }) : t('ticketConfig.workingHours', { n: l.handleWorkingHours ?? 0 })),
    },
  ];
  return (
    <>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('ticketConfig.limitsHint')} />
      <Card size="small" title={t('ticketConfig.setLimit')} style={{ marginBottom: 12 }}>
        <Form<LimitForm> form={form} layout="inline" onFinish={save} initialValues={{ acceptWorkingHours: 2, amount: 10, unitOfTime: 'days' }}>
          <Form.Item name="ticketType">
            <Select allowClear style={{ width: 110 }} placeholder={t('tickets.type')} options={TICKET_TYPES.map((v) => ({ value: v, label: t(`tickets.types.${v}`) }))} />
          </Form.Item>
          <Form.Item name="categoryCode">
            <Select allowClear showSearch optionFilterProp="label" style={{ width: 220 }} placeholder={t('ticketConfig.category')} options={cats.options} />
          </Form.Item>
          <Form.Item name="urgency">
            <Select allowClear style={{ width: 110 }} placeholder={t('tickets.urgency')} options={TICKET_URGENCIES.map((v) => ({ value: v, label: t(`tickets.urgencies.${v}`) }))} />
          </Form.Item>
          <Form.Item name="acceptWorkingHours" label={t('ticketConfig.acceptWithin')} rules={[{ required: true }]}>
            <InputNumber min={0.25} max={80} step={0.5} style={{ width: 80 }} />
          </Form.Item>
          <Form.Item name="amount" label={t('ticketConfig.handleWithin')} rules={[{ required: true }]}>
            <InputNumber min={0.5} max={80} style={{ width: 80 }} />
          </Form.Item>
          <Form.Item name="unitOfTime">
            <Select style={{ width: 110 }} options={[{ value: 'days', label: t('ticketConfig.days') }, { value: 'hours', label: t('ticketConfig.hours') }]} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('ticketConfig.save')}
          </Button>
        </Form>
      </Card>
      <Table<TimeLimit>
        size="small"
        rowKey={(l) => `${l.ticketType ?? '*'}|${l.categoryCode ?? '*'}|${l.urgency ?? '*'}`}
        loading={routing.loading}
        columns={columns}
        dataSource={routing.data?.timeLimits ?? []}
        pagination={false}
      />
    </>
  );
}

/** Open311 API keys for outside systems (the city's 12345 platform, apps): issued once, revocable. */
function Open311Tab() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const keys = useFetch<Items<ApiKey>>('/api/v1/open311/keys');
  const [label, setLabel] = useState('');
  const [issued, setIssued] = useState<{ label: string; apiKey: string } | null>(null);
  const issue = async () => {
    const r = await attempt(api.post<{ key: { label: string; apiKey: string } }>('/api/v1/open311/keys', { label }));
    if (r) {
      setIssued(r.value.key);
      setLabel('');
      keys.reload();
    }
  };
  const revoke = async (id: string) => {
    if (await attempt(api.post(`/api/v1/open311/keys/${id}/revoke`, {}))) keys.reload();
  };
  const columns: ColumnsType<ApiKey> = [
    { key: 'label', title: t('ticketConfig.keyLabel'), dataIndex: 'label' },
    { key: 'created', title: t('ticketConfig.issuedAt'), render: (_, k) => formatDateTime(k.createdAt, lang) },
    { key: 'status', title: t('ticketConfig.status'), render: (_, k) => (k.revokedAt ? <Tag>{t('ticketConfig.revoked')}</Tag> : <Tag color="green">{t('ticketConfig.activeKey')}</Tag>) },
    {
      key: 'act',
      render: (_, k) =>
        k.revokedAt ? null : (
          <Button size="small" danger onClick={() => void revoke(k.id)}>
            {t('ticketConfig.revoke')}
          </Button>
        ),
    },
  ];
  return (
    <>
      <Typography.Paragraph type="secondary">{t('ticketConfig.open311Hint')}</Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <Input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={100} placeholder={t('ticketConfig.keyLabelHint')} style={{ width: 260 }} />
        <Button type="primary" disabled={!label.trim()} onClick={() => void issue()}>
          {t('ticketConfig.issue')}
        </Button>
      </Space>
      {issued && (
        <Alert
          type="warning"
          showIcon
          closable
          onClose={() => setIssued(null)}
          style={{ marginBottom: 12 }}
          title={t('ticketConfig.shownOnce', { label: issued.label })}
          description={<Typography.Text copyable code>{issued.apiKey}</Typography.Text>}
        />
      )}
      <Table<ApiKey> size="small" rowKey="id" loading={keys.loading} columns={columns} dataSource={keys.data?.items ?? []} pagination={false} />
    </>
  );
}

/** 接诉即办配置: what a district changes without a programmer — its catalogue, routing, time limits and Open311 clients. */
export default function TicketConfigPage() {
  const { t } = useTranslation();
  return (
    <Tabs
      data-testid="ticket-config"
      items={[
        { key: 'categories', label: t('ticketConfig.tabs.categories'), children: <CategoriesTab /> },
        { key: 'routes', label: t('ticketConfig.tabs.routes'), children: <RoutesTab /> },
        { key: 'limits', label: t('ticketConfig.tabs.limits'), children: <TimeLimitsTab /> },
        { key: 'open311', label: t('ticketConfig.tabs.open311'), children: <Open311Tab /> },
      ]}
    />
  );
}
