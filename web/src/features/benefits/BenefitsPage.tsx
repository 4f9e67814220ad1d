import { Alert, Button, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { Link } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, attempt, withQuery } from '../../api';
import { useAuth } from '../auth/AuthContext';
import { useFetch } from '../../shared/useFetch';
import { CategoryTag } from './CategoryTag';
import { ExplanationReasons } from './PersonBenefitsPanel';
import { PolicyEditor } from './PolicyEditor';
import { blankPolicy, type Draft } from './policyDraft';
import type { Bi, Cycle, PolicyCounts, PolicyView, ResultItem } from './types';
import { today, useBi, useLatestRun } from './util';
import { VisitsTab } from './VisitsTab';
import './benefits.css';

const yuan = (fen: number | null) => (fen === null ? '—' : (fen / 100).toLocaleString('zh-CN', { maximumFractionDigits: 2 }));

/** The policy list; the selected policy opens in the form editor (with its JSON beside it). */
function PoliciesTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const bi = useBi();
  const { data, reload } = useFetch<{ items: PolicyView[] }>('/api/v1/benefits/policies');
  // `key` remounts the editor: a policy picked from the list replaces whatever was being edited.
  const [open, setOpen] = useState<{ key: number; code: string | null; draft: Draft } | null>(null);
  const load = (code: string | null, draft: Draft) => setOpen((o) => ({ key: (o?.key ?? 0) + 1, code, draft }));
  const benefits = (data?.items ?? []).map((p) => ({ value: typeof p.policy.benefitCode === 'string' ? p.policy.benefitCode : p.code, label: bi(p.policy.name) }));
  const openName = open && typeof open.draft.name === 'object' ? bi(open.draft.name as unknown as Bi) : '';
  return (
    <div className="ms-benefits-policies">
      <Table
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={data?.items ?? []}
        rowClassName={(r: PolicyView) => (r.code === open?.code ? 'ms-policy-row--open' : '')}
        onRow={(r: PolicyView) => ({ 'data-testid': `policy-row-${r.code}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('benefits.policy'), render: (_, r: PolicyView) => <a onClick={() => load(r.code, r.policy as unknown as Draft)} data-testid={`policy-${r.code}`}>{bi(r.policy.name)}</a> },
          { title: t('benefits.code'), dataIndex: 'code' },
          { title: t('benefits.version'), render: (_, r: PolicyView) => <span data-testid={`policy-version-${r.code}`}>{r.version}</span> },
          { title: t('benefits.kind'), render: (_, r: PolicyView) => t(`benefits.kinds.${r.policy.kind}`) },
          { title: t('benefits.effective'), render: (_, r: PolicyView) => `${r.policy.effectiveFrom} ~ ${r.policy.effectiveTo ?? ''}` },
          { title: '', render: (_, r: PolicyView) => (r.isDemo ? <Tag>{t('benefits.demo')}</Tag> : null) },
        ]}
      />
      <Space className="ms-policy-editor__title">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {!open ? t('benefits.editor') : typeof open.draft.version === 'number' ? t('benefits.form.editing', { name: openName, version: open.draft.version }) : t('benefits.form.editingNew', { name: openName || t('benefits.form.untitled') })}
        </Typography.Title>
        {canEdit ? (
          <Button size="small" onClick={() => load(null, blankPolicy(today()))} data-testid="policy-new">
            {t('benefits.form.newPolicy')}
          </Button>
        ) : null}
      </Space>
      {open ? (
        <PolicyEditor
          key={open.key}
          initial={open.draft}
          canEdit={canEdit}
          benefits={benefits}
          onSaved={(saved) => {
            reload();
            load(saved.code, saved.policy as unknown as Draft);
          }}
        />
      ) : (
        <Typography.Paragraph type="secondary">{t('benefits.editorHint')}</Typography.Paragraph>
      )}
    </div>
  );
}

/** Run the match, see the counts, open the 沉默少数 and the stop list with their explanations. */
function MatchTab({ canRun }: { canRun: boolean }) {
  const { t } = useTranslation();
  const bi = useBi();
  const [date, setDate] = useState(today());
  const run = useLatestRun<{ id: string; date: string; persons: number; counts: PolicyCounts[] }>();
  const [policy, setPolicy] = useState<string>();
  const [category, setCategory] = useState<'eligible_missing' | 'stop' | 'eligible_receiving'>('eligible_missing');
  const runId = run.data?.id;
  const list = useFetch<{ total: number; items: ResultItem[] }>(runId && policy ? withQuery('/api/v1/benefits/results', { run: runId, policy, category, limit: 200 }) : null);
  const [busy, setBusy] = useState(false);
  const go = async () => {
    setBusy(true);
    await attempt(api.post('/api/v1/benefits/match', { date }));
    setBusy(false);
    run.reload();
  };
  const names = new Map((run.data?.counts ?? []).map((c) => [c.code, c.name]));
  return (
    <div>
      <Space>
        <Input type="date" style={{ width: 160 }} value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        {canRun ? (
          <Button type="primary" loading={busy} onClick={() => void go()} data-testid="run-match">
            {t('benefits.runMatch')}
          </Button>
        ) : null}
        {run.data ? <Typography.Text type="secondary">{t('benefits.runInfo', { date: run.data.date, persons: run.data.persons })}</Typography.Text> : null}
      </Space>
      {run.none ? <Alert type="info" showIcon style={{ margin: '12px 0' }} title={t('benefits.noRunYet')} data-testid="no-run-yet" /> : null}
      <Table
        rowKey="code"
        size="small"
        pagination={false}
        loading={run.loading}
        dataSource={run.data?.counts ?? []}
        columns={[
          { title: t('benefits.policy'), render: (_, c: PolicyCounts) => bi(c.name) },
          { title: t('benefits.eligible'), render: (_, c: PolicyCounts) => <span data-testid={`eligible-${c.code}`}>{c.eligible_receiving + c.eligible_missing}</span> },
          { title: t('benefits.category.eligible_receiving'), render: (_, c: PolicyCounts) => <a data-testid={`receiving-${c.code}`} onClick={() => { setPolicy(c.code); setCategory('eligible_receiving'); }}>{c.eligible_receiving}</a> },
          { title: t('benefits.category.eligible_missing'), render: (_, c: PolicyCounts) => <a data-testid={`missing-${c.code}`} onClick={() => { setPolicy(c.code); setCategory('eligible_missing'); }}>{c.eligible_missing}</a> },
          { title: t('benefits.category.stop'), render: (_, c: PolicyCounts) => <a data-testid={`stop-${c.code}`} onClick={() => { setPolicy(c.code); setCategory('stop'); }}>{c.stop}</a> },
          { title: t('benefits.category.not_eligible'), dataIndex: 'not_eligible' },
          { title: t('benefits.monthlyYuan'), render: (_, c: PolicyCounts) => yuan(c.monthlyFen) },
        ]}
      />
      {policy ? (
        <>
          <Typography.Title level={5}>
            {bi(names.get(policy) ?? { zh: policy, en: policy })} · <CategoryTag category={category} /> {list.data ? `(${list.data.total})` : ''}
          </Typography.Title>
          <Table
            rowKey="personId"
            size="small"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            data-testid="result-list"
            expandable={{ expandedRowRender: (r: ResultItem) => <ExplanationReasons explanation={r.explanation} /> }}
            columns={[
              { title: t('benefits.person'), render: (_, r: ResultItem) => <Link to={`/residents/persons/${r.personId}`} data-testid={`result-person-${r.personId}`}>{r.name ?? r.personId.slice(0, 8)}</Link> },
              { title: t('benefits.grid'), dataIndex: 'gridCode' },
              { title: t('benefits.why'), render: (_, r: ResultItem) => bi(r.summary) },
              { title: t('benefits.stopReason'), render: (_, r: ResultItem) => (r.stopReason ? <Tag color="red">{t(`benefits.stop.${r.stopReason}`, { defaultValue: r.stopReason })}</Tag> : null) },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}

interface CycleDiff {
  added: { nameMasked: string; why: Bi }[];
  removed: { nameMasked: string; reason: Bi }[];
  changed: { nameMasked: string; why: Bi }[];
  totals: { deltaFen: number };
}

/** A cycle's entitlements (names masked): what a reviewer checks, and what stays frozen after approval. */
function Entitlements({ id }: { id: string }) {
  const { t } = useTranslation();
  const bi = useBi();
  const { data, loading } = useFetch<{ entitlements: { personId: string; nameMasked: string; tierCode: string | null; amountFen: number; summary: Bi }[] }>(`/api/v1/benefits/cycles/${id}`);
  return (
    <Table
      rowKey="personId"
      size="small"
      loading={loading}
      pagination={{ pageSize: 20 }}
      dataSource={data?.entitlements ?? []}
      data-testid={`cycle-entitlements-${id}`}
      columns={[
        { title: t('benefits.person'), dataIndex: 'nameMasked' },
        { title: t('benefits.tier'), dataIndex: 'tierCode' },
        { title: t('benefits.monthlyYuan'), render: (_, e) => yuan(e.amountFen) },
        { title: t('benefits.why'), render: (_, e) => bi(e.summary) },
      ]}
    />
  );
}

/** Monthly cycles: prepare, review, approve (another person), diff with the previous one. */
function CyclesTab({ canApprove }: { canApprove: boolean }) {
  const { t } = useTranslation();
  const cycles = useFetch<{ items: Cycle[] }>('/api/v1/benefits/cycles');
  const policies = useFetch<{ items: PolicyView[] }>('/api/v1/benefits/policies');
  const [policy, setPolicy] = useState<string>();
  const [month, setMonth] = useState(today().slice(0, 7));
  const [diff, setDiff] = useState<CycleDiff | null>(null);
  const bi = useBi();
  const act = async (path: string, body?: unknown) => {
    if (await attempt(api.post(path, body))) cycles.reload();
  };
  const showDiff = async (c: Cycle) => {
    const prev = (cycles.data?.items ?? []).filter((x) => x.policy === c.policy && x.month < c.month).sort((a, b) => (a.month < b.month ? 1 : -1))[0];
    if (!prev) return;
    const r = await attempt(api.get<{ diff: CycleDiff }>(withQuery('/api/v1/benefits/cycles/diff', { from: prev.id, to: c.id })));
    if (r) setDiff(r.value.diff);
  };
  return (
    <div>
      <Space>
        <Select style={{ width: 220 }} placeholder={t('benefits.policy')} value={policy} onChange={setPolicy} options={(policies.data?.items ?? []).filter((p) => p.policy.kind === 'monthly').map((p) => ({ value: p.code, label: bi(p.policy.name) }))} />
        <Input style={{ width: 100 }} value={month} onChange={(e) => setMonth(e.target.value)} data-testid="cycle-month" />
        <Button disabled={!policy} onClick={() => void act('/api/v1/benefits/cycles', { policy, month })} data-testid="cycle-prepare">{t('benefits.prepare')}</Button>
      </Space>
      <Table
        rowKey="id"
        size="small"
        dataSource={cycles.data?.items ?? []}
        data-testid="cycle-list"
        expandable={{ expandedRowRender: (c: Cycle) => <Entitlements id={c.id} /> }}
        onRow={(c: Cycle) => ({ 'data-testid': `cycle-${c.policy}-${c.month}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: t('benefits.policy'), dataIndex: 'policy' },
          { title: t('benefits.month'), dataIndex: 'month' },
          { title: t('benefits.status'), render: (_, c: Cycle) => <Tag color={c.frozen ? 'blue' : undefined} data-testid="cycle-status" data-status={c.status}>{t(`benefits.cycleStatus.${c.status}`)}</Tag> },
          { title: t('benefits.persons'), render: (_, c: Cycle) => <span data-testid="cycle-persons">{c.persons}</span> },
          { title: t('benefits.totalYuan'), render: (_, c: Cycle) => <span data-testid="cycle-total">{yuan(c.totalFen)}</span> },
          {
            title: '',
            render: (_, c: Cycle) => (
              <Space size="small">
                {canApprove && c.status === 'draft' ? <Button size="small" onClick={() => void act(`/api/v1/benefits/cycles/${c.id}/review`)} data-testid="cycle-review">{t('benefits.review')}</Button> : null}
                {canApprove && c.status === 'reviewed' ? <Button size="small" type="primary" onClick={() => void act(`/api/v1/benefits/cycles/${c.id}/approve`)} data-testid="cycle-approve">{t('benefits.approve')}</Button> : null}
                {canApprove && c.status === 'approved' ? <a href={`/api/v1/benefits/cycles/${c.id}/export.xlsx`}>Excel</a> : null}
                <Button size="small" onClick={() => void showDiff(c)} data-testid="cycle-diff">{t('benefits.diff')}</Button>
              </Space>
            ),
          },
        ]}
      />
      {diff ? (
        <Alert
          type="info"
          data-testid="cycle-diff-result"
          message={t('benefits.diffSummary', { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, delta: yuan(diff.totals.deltaFen) })}
          description={[
            ...diff.added.slice(0, 20).map((r) => `${t('benefits.diffAdded')} ${r.nameMasked}：${bi(r.why)}`),
            ...diff.removed.slice(0, 20).map((r) => `${t('benefits.diffRemoved')} ${r.nameMasked}：${bi(r.reason)}`),
            ...diff.changed.slice(0, 20).map((r) => `${t('benefits.diffChanged')} ${r.nameMasked}：${bi(r.why)}`),
          ].join('\n')}
          className="ms-pre"
        />
      ) : null}
    </div>
  );
}

export default function BenefitsPage() {
  const { t } = useTranslation();
  const { user } = useAuth();
  const perms = user?.permissions ?? [];
  const read = perms.includes('benefits.read');
  const items = [
    ...(read ? [{ key: 'match', label: t('benefits.tabs.match'), children: <MatchTab canRun={read} /> }] : []),
    { key: 'visits', label: t('benefits.tabs.visits'), children: <VisitsTab canCreate={perms.includes('benefits.configure')} /> },
    ...(read ? [{ key: 'policies', label: t('benefits.tabs.policies'), children: <PoliciesTab canEdit={perms.includes('benefits.configure')} /> }] : []),
    ...(read ? [{ key: 'cycles', label: t('benefits.tabs.cycles'), children: <CyclesTab canApprove={perms.includes('benefits.approve')} /> }] : []),
  ];
  return (
    <div className="ms-benefits">
      <Typography.Title level={4}>{t('benefits.title')}</Typography.Title>
      <Tabs items={items} destroyOnHidden />
    </div>
  );
}
