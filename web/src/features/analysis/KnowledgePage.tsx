import { Alert, App, Button, Card, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt, withQuery } from '../../api';
import { useMe } from '../auth/AuthContext';
import { currentLanguage } from '../../i18n';
import { formatDateTime } from '../../shared/format';
import { useFetch } from '../../shared/useFetch';
import { useUnits } from '../tickets/useUnits';
import { KnowledgeTags, type KnowledgeEntry, type KnowledgeHit } from './KnowledgeAnswers';

interface Detail {
  entry: KnowledgeEntry;
  versions: Array<{ version: number; question: string; answer: string; policyBasis: string; ownerUnit: string; validUntil: string | null; createdAt: string }>;
}

type FormValues = { question: string; answer: string; policyBasis?: string; ownerUnit: string; keywords?: string[]; validUntil?: string | null };

function EntryForm({ open, initial, onClose, onSaved }: { open: boolean; initial: KnowledgeEntry | null; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const units = useUnits();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const submit = async (v: FormValues) => {
    setSaving(true);
    const body = {
      question: v.question,
      answer: v.answer,
      policyBasis: v.policyBasis ?? '',
      ownerUnit: v.ownerUnit,
      keywords: v.keywords ?? [],
      validUntil: v.validUntil?.trim() ? v.validUntil.trim() : null,
    };
    const r = await attempt(initial ? api.post(`/api/v1/knowledge/${initial.id}/versions`, body) : api.post('/api/v1/knowledge', body));
    setSaving(false);
    if (r) {
      void message.success(t('insights.kb.saved'));
      onSaved();
    }
  };
  return (
    <Modal open={open} title={initial ? t('insights.kb.edit') : t('insights.kb.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden width={640} data-testid="kb-form-modal">
      <Form<FormValues>
        form={form}
        layout="vertical"
        preserve={false}
        onFinish={(v) => void submit(v)}
        initialValues={
          initial
            ? { question: initial.question, answer: initial.answer, policyBasis: initial.policyBasis, ownerUnit: initial.ownerUnit, keywords: initial.keywords, validUntil: initial.validUntil ?? '' }
            : {}
        }
      >
        <Form.Item name="question" label={t('insights.kb.question')} rules={[{ required: true, whitespace: true, min: 2, max: 500 }]}>
          <Input data-testid="kb-question" />
        </Form.Item>
        <Form.Item name="answer" label={t('insights.kb.answer')} rules={[{ required: true, whitespace: true, min: 2, max: 5000 }]}>
          <Input.TextArea rows={5} showCount maxLength={5000} data-testid="kb-answer" />
        </Form.Item>
        <Form.Item name="policyBasis" label={t('insights.kb.basis')}>
          <Input maxLength={1000} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="ownerUnit" label={t('insights.kb.owner')} rules={[{ required: true }]}>
            <Select style={{ width: 260 }} options={units.options} showSearch optionFilterProp="label" data-testid="kb-owner" />
          </Form.Item>
          <Form.Item name="validUntil" label={t('insights.kb.validUntil')} rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' }]}>
            <Input placeholder="YYYY-MM-DD" style={{ width: 140 }} data-testid="kb-valid-until" />
          </Form.Item>
        </Space>
        <Form.Item name="keywords" label={t('insights.kb.keywords')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** /knowledge — 知识库: search (BM25), entries with validity, versions, edit and retire, expiry flags. */
export default function KnowledgePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const lang = currentLanguage();
  const units = useUnits();
  const canManage = me.permissions.includes('knowledge.manage');
  const [q, setQ] = useState('');
  const [onlyValid, setOnlyValid] = useState(false);
  const [editing, setEditing] = useState<KnowledgeEntry | null | 'new'>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useFetch<{ items: KnowledgeHit[] }>(withQuery('/api/v1/knowledge', { q: q || undefined, includeExpired: onlyValid ? 'false' : 'true', limit: 200 }));
  const mine = useFetch<{ items: KnowledgeEntry[] }>('/api/v1/knowledge/expired');
  const detail = useFetch<Detail>(openId ? `/api/v1/knowledge/${openId}` : null);

  const flag = async () => {
    const r = await attempt(api.post<{ flagged: number }>('/api/v1/knowledge/flag-expired'));
    if (r) {
      void message.success(t('insights.kb.flaggedResult', { n: r.value.flagged }));
      list.reload();
      mine.reload();
    }
  };
  const retire = async (id: string) => {
    if (await attempt(api.post(`/api/v1/knowledge/${id}/retire`))) {
      setOpenId(null);
      list.reload();
    }
  };

  return (
    <div data-testid="knowledge-page">
      <div className="ms-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('insights.kb.title')}
        </Typography.Title>
        <Input.Search allowClear placeholder={t('insights.kb.search')} style={{ maxWidth: 420 }} onSearch={(v) => setQ(v.trim())} data-testid="kb-search" />
        <Space>
          <Switch checked={onlyValid} onChange={setOnlyValid} />
          {t('insights.kb.onlyValid')}
        </Space>
        <span className="ms-toolbar__spacer" />
        {canManage && (
          <>
            <Button onClick={() => void flag()} data-testid="kb-flag-expired">
              {t('insights.kb.flagExpired')}
            </Button>
            <Button type="primary" onClick={() => setEditing('new')} data-testid="kb-create">
              {t('insights.kb.create')}
            </Button>
          </>
        )}
      </div>
      {(mine.data?.items.length ?? 0) > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('insights.kb.expiredForMe')}
          description={mine.data!.items.map((e) => `${e.question}（${units.name(e.ownerUnit as `department:${string}`)}，${e.validUntil ?? ''}）`).join('；')}
          data-testid="kb-expired-alert"
        />
      )}
      <Card size="small">
        <Table<KnowledgeHit>
          size="small"
          rowKey={(h) => h.entry.id}
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          onRow={(h) => ({ onClick: () => setOpenId(h.entry.id), style: { cursor: 'pointer' } })}
          columns={[
            {
              title: t('insights.kb.question'),
              key: 'q',
              render: (_: unknown, h) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Text strong data-testid="kb-row-question">
                    {h.entry.question} <KnowledgeTags entry={h.entry} />
                  </Typography.Text>
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 560, fontSize: 12 }}>
                    {h.entry.answer}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: t('insights.kb.owner'), key: 'owner', width: 180, render: (_: unknown, h) => units.name(h.entry.ownerUnit as `department:${string}`) },
            { title: t('insights.kb.validUntil'), key: 'valid', width: 110, render: (_: unknown, h) => h.entry.validUntil ?? t('insights.kb.noEnd') },
            { title: t('insights.kb.version'), key: 'v', width: 60, render: (_: unknown, h) => `v${h.entry.version}` },
            ...(q ? [{ title: t('insights.kb.matched'), key: 'm', width: 160, render: (_: unknown, h: KnowledgeHit) => h.matched.slice(0, 4).map((w) => <Tag key={w}>{w}</Tag>) }] : []),
          ]}
        />
      </Card>
      <Drawer open={openId !== null} onClose={() => setOpenId(null)} size={560} title={detail.data?.entry.question} data-testid="kb-drawer">
        {detail.data && (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <div>
              <KnowledgeTags entry={detail.data.entry} />
            </div>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{detail.data.entry.answer}</Typography.Paragraph>
            <Typography.Text type="secondary">
              {t('insights.kb.basis')}：{detail.data.entry.policyBasis || '—'}
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('insights.kb.owner')}：{units.name(detail.data.entry.ownerUnit as `department:${string}`)} · {t('insights.kb.validUntil')}：{detail.data.entry.validUntil ?? t('insights.kb.noEnd')}
            </Typography.Text>
            {canManage && !detail.data.entry.retired && (
              <Space>
                <Button onClick={() => setEditing(detail.data!.entry)} data-testid="kb-edit">
                  {t('insights.kb.edit')}
                </Button>
                <Popconfirm title={t('insights.kb.retireConfirm')} onConfirm={() => void retire(detail.data!.entry.id)}>
                  <Button danger>{t('insights.kb.retire')}</Button>
                </Popconfirm>
              </Space>
            )}
            <Typography.Title level={5}>{t('insights.kb.versions')}</Typography.Title>
            <Timeline
              items={detail.data.versions.map((v) => ({
                key: v.version,
                content: (
                  <span>
                    v{v.version} · {formatDateTime(v.createdAt, lang)} · {v.question}
                  </span>
                ),
              }))}
            />
          </Space>
        )}
      </Drawer>
      <EntryForm
        open={editing !== null}
        initial={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          list.reload();
          detail.reload();
        }}
      />
    </div>
  );
}
