import { Button, Card, Descriptions, Drawer, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { attempt } from '../../api';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { useFetch } from '../../shared/useFetch';
import { MICRO_STATUSES, staffMicroApi, todayInShanghai, yuan, type MicroStatus, type Proposal, type ProposalList, type StaffAct, type StaffDetail } from './microApi';
import { isStepKind, STATUS_COLOR } from './status';
import './micro.css';

const isStatus = (s: string | null): s is MicroStatus => (MICRO_STATUSES as readonly (string | null)[]).includes(s);

/** The street's workbench: screen proposals with a published reason, record each dated stage. */
export default function MicroAdminPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = isStatus(params.get('status')) ? (params.get('status') as MicroStatus) : undefined;
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const list = useFetch<ProposalList>(staffMicroApi.listPath({ status, q: q || undefined, page }));
  const [openId, setOpenId] = useState<string | null>(null);

  return (
    <Card
      title={t('micro.adminTitle')}
      extra={
        <Space wrap>
          <Select
            allowClear
            style={{ width: 160 }}
            placeholder={t('micro.filterStatus')}
            value={status}
            onChange={(v?: MicroStatus) => {
              setPage(1);
              setParams(v ? { status: v } : {});
            }}
            options={MICRO_STATUSES.map((s) => ({ value: s, label: `${t(`micro.status.${s}`)} ${list.data?.counts[s] ?? 0}` }))}
            data-testid="micro-admin-status"
          />
          <Input.Search allowClear placeholder={t('micro.search')} onSearch={(v) => setQ(v.trim())} style={{ width: 200 }} />
        </Space>
      }
    >
      <Table<Proposal>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        data-testid="micro-admin-table"
        onRow={(p) => ({ onClick: () => setOpenId(p.id), 'data-testid': 'micro-admin-row', 'data-number': p.number, style: { cursor: 'pointer' } }) as React.HTMLAttributes<HTMLElement>}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('micro.number'), dataIndex: 'number', width: 130 },
          { title: t('micro.title'), dataIndex: 'title', render: (v: string, p) => <>{v} {p.isDemo && <Tag>{t('common.demo')}</Tag>}</> },
          { title: t('micro.statusLabel'), dataIndex: 'status', width: 110, render: (s: MicroStatus) => <Tag color={STATUS_COLOR[s]}>{t(`micro.status.${s}`)}</Tag> },
          { title: t('micro.cost'), dataIndex: 'costFen', width: 120, align: 'right', render: (f: number) => yuan(f) },
          { title: t('micro.supports'), width: 80, align: 'right', render: (_: unknown, p) => p.supports + p.mergedSupports },
          { title: t('micro.proposer'), dataIndex: 'proposerPhone', width: 130 },
          { title: t('micro.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, currentLanguage()).slice(0, 16) },
        ]}
      />
      <ProposalDrawer id={openId} onClose={() => setOpenId(null)} onChanged={list.reload} />
    </Card>
  );
}

interface ActForm {
  reason?: string;
  date?: string;
  costYuan?: number;
  into?: string;
  note?: string;
  budgetLine?: string;
  projectItemId?: string;
}

const NEEDS_REASON: readonly StaffAct[] = ['accept', 'merge', 'reject'];
const DATED: readonly StaffAct[] = ['accept', 'merge', 'reject', 'startDesign', 'startConstruction', 'completeAcceptance'];

function ProposalDrawer({ id, onClose, onChanged }: { id: string | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<StaffDetail | null>(null);
  const [act, setAct] = useState<StaffAct | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<ActForm>();

  const load = useCallback(() => {
    if (!id) return setDetail(null);
    void attempt(staffMicroApi.get(id)).then((r) => r && setDetail(r.value));
  }, [id]);
  useEffect(load, [load]);

  const submit = async (v: ActForm) => {
    if (!id || !act) return;
    const body: Record<string, unknown> = {};
    if (NEEDS_REASON.includes(act)) body.reason = v.reason ?? '';
    if (DATED.includes(act)) body.date = v.date ?? todayInShanghai();
    if (act === 'accept' && v.costYuan !== undefined && v.costYuan !== null) body.costFen = Math.round(v.costYuan * 100);
    if (act === 'merge') body.into = (v.into ?? '').trim();
    if (['startDesign', 'startConstruction', 'completeAcceptance'].includes(act)) body.note = v.note ?? '';
    if (act === 'link') {
      body.budgetLine = v.budgetLine?.trim() || null;
      body.projectItemId = v.projectItemId?.trim() || null;
    }
    setBusy(true);
    const r = await attempt(staffMicroApi.act(id, act, body));
    setBusy(false);
    if (r) {
      setDetail(r.value);
      setAct(null);
      form.resetFields();
      onChanged();
    }
  };

  const p = detail?.proposal;
  return (
    <Drawer open={id !== null} onClose={onClose} size="large" title={p ? `${p.number} ${p.title}` : ''} data-testid="micro-admin-detail">
      {p && detail && (
        <>
          <Space style={{ marginBottom: 12 }} wrap>
            <Tag color={STATUS_COLOR[p.status]} data-testid="micro-admin-status-tag" data-status={p.status}>
              {t(`micro.status.${p.status}`)}
            </Tag>
            {detail.allowedActs.map((a) => (
              <Button key={a} type={a === 'link' ? 'default' : 'primary'} onClick={() => setAct(a)} data-testid={`micro-act-${a}`}>
                {t(`micro.acts.${a}`)}
              </Button>
            ))}
          </Space>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.description}</Typography.Paragraph>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('micro.estimatedCost')}>{yuan(p.estimatedCostFen)} 元</Descriptions.Item>
            <Descriptions.Item label={t('micro.cost')}>{yuan(p.costFen)} 元</Descriptions.Item>
            <Descriptions.Item label={t('micro.address')}>{p.place.address ?? p.place.areaCode}</Descriptions.Item>
            <Descriptions.Item label={t('micro.supports')}>{p.supports + p.mergedSupports}</Descriptions.Item>
            <Descriptions.Item label={t('micro.proposer')}>{p.proposerPhone}</Descriptions.Item>
            <Descriptions.Item label={t('micro.budgetLine')}>{p.budgetLine ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('micro.projectItem')}>{p.projectItemId ?? '—'}</Descriptions.Item>
          </Descriptions>
          {detail.photos.length > 0 && (
            <div className="ms-micro-photos" style={{ marginTop: 12 }}>
              {detail.photos.map((f) => (
                <img key={f.id} src={`/api/v1/public/micro/proposals/${p.number}/photos/${f.id}`} alt={f.fileName} />
              ))}
            </div>
          )}
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            {t('micro.progress')}
          </Typography.Title>
          <Timeline
            items={detail.timeline.map((e) => ({
              key: e.seq,
              children: (
                <div data-testid="micro-admin-step" data-kind={e.kind}>
                  <strong>{t(`micro.steps.${isStepKind(e.kind) ? e.kind : 'submitted'}`)}</strong> {typeof e.data.date === 'string' ? e.data.date : ''}
                  <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>
                    {formatDateTime(e.at, currentLanguage()).slice(0, 16)} {e.actorName ?? ''} {e.notified > 0 ? `· ${t('micro.notified', { n: e.notified })}` : ''}
                  </div>
                  {typeof e.data.reason === 'string' && <div>{e.data.reason}</div>}
                  {typeof e.data.note === 'string' && e.data.note && <div>{e.data.note}</div>}
                </div>
              ),
            }))}
          />
        </>
      )}
      <Modal
        open={act !== null}
        title={act ? t(`micro.acts.${act}`) : ''}
        onCancel={() => setAct(null)}
        onOk={() => form.submit()}
        okButtonProps={{ loading: busy, 'data-testid': 'micro-act-submit' } as React.ComponentProps<typeof Button>}
        destroyOnHidden
      >
        <Form<ActForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
          {act && NEEDS_REASON.includes(act) && (
            <Form.Item name="reason" label={t('micro.publishedReason')} extra={t('micro.publishedReasonHint')} rules={[{ required: true, min: 2, whitespace: true }]}>
              <Input.TextArea rows={3} maxLength={500} data-testid="micro-act-reason" />
            </Form.Item>
          )}
          {act === 'merge' && (
            <Form.Item name="into" label={t('micro.mergeInto')} rules={[{ required: true, pattern: /^WS\d{4}-\d{4,6}$/ }]}>
              <Input placeholder="WS2026-0001" data-testid="micro-act-into" />
            </Form.Item>
          )}
          {act === 'accept' && (
            <Form.Item name="costYuan" label={t('micro.approvedCost')}>
              <InputNumber min={0.01} max={1_000_000} precision={2} style={{ width: '100%' }} suffix="元" />
            </Form.Item>
          )}
          {act && DATED.includes(act) && (
            <Form.Item name="date" label={t('micro.stageDate')} initialValue={todayInShanghai()} rules={[{ required: true }]}>
              <Input type="date" max={todayInShanghai()} data-testid="micro-act-date" />
            </Form.Item>
          )}
          {act && ['startDesign', 'startConstruction', 'completeAcceptance'].includes(act) && (
            <Form.Item name="note" label={t('micro.note')}>
              <Input.TextArea rows={2} maxLength={500} data-testid="micro-act-note" />
            </Form.Item>
          )}
          {act === 'link' && (
            <>
              <Form.Item name="budgetLine" label={t('micro.budgetLine')}>
                <Input maxLength={80} placeholder={t('micro.budgetLinePlaceholder')} />
              </Form.Item>
              <Form.Item name="projectItemId" label={t('micro.projectItemId')} rules={[{ pattern: /^[0-9a-f-]{36}$/i }]}>
                <Input placeholder="UUID" />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Drawer>
  );
}
