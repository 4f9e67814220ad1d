/**
 * The visit worklist of the 沉默少数: a list (printable) and a map side by side (tabs on a phone),
 * one marker per household coloured by the outcome, a popup to record it, and the progress by
 * grid. A grid worker's scope is their grid, so they see only their own households (the API scopes).
 */
import { Button, Col, Grid, Input, Row, Space, Table, Tabs, Tag, Typography, message } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, attempt, withQuery } from '../../api';
import { useFetch } from '../../shared/useFetch';
import { PointMap, type MapPoint } from '../map/PointMap';
import type { Bi, PolicyView, Visit, VisitProgress, VisitStatus } from './types';
import { useBi, useLatestRun } from './util';

/** pending / applied / declined / not eligible / unreachable, as on the map and the tags */
export const VISIT_COLORS = {
  open: '#fa8c16',
  applied: '#52c41a',
  declined: '#8c8c8c',
  not_eligible: '#722ed1',
  unreachable: '#f5222d',
} as const satisfies Record<VisitStatus, string>;
const STATUSES = Object.keys(VISIT_COLORS) as VisitStatus[];

const householdKey = (v: Visit) => v.householdId ?? v.personId;

/** A household's colour: pending while any visit is open, else the latest outcome. */
function householdStatus(vs: readonly Visit[]): VisitStatus {
  if (vs.some((v) => v.status === 'open')) return 'open';
  return [...vs].sort((a, b) => ((a.outcomeAt ?? '') < (b.outcomeAt ?? '') ? 1 : -1))[0]?.status ?? 'open';
}

function StatusTag({ v }: { v: Visit }) {
  const { t } = useTranslation();
  return (
    <Tag color={VISIT_COLORS[v.status]} data-testid={`visit-status-${v.id}`} data-status={v.status}>
      {t(`benefits.outcomes.${v.status}`)}
      {v.reason ? `：${v.reason}` : ''}
    </Tag>
  );
}

/** The outcome buttons of an open visit (in a list row and in the map popup). */
function OutcomeButtons({ v, prefix, onDone }: { v: Visit; prefix: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const record = async (outcome: Exclude<VisitStatus, 'open'>) => {
    const r = await attempt(api.post(`/api/v1/benefits/visits/${v.id}/outcome`, { outcome, ...(reason.trim() ? { reason: reason.trim() } : {}) }));
    if (r) {
      void message.success(t('benefits.outcomeSaved', { outcome: t(`benefits.outcomes.${outcome}`) }));
      onDone();
    }
  };
  return (
    <Space size="small" wrap className="ms-noprint">
      <Button size="small" onClick={() => void record('applied')} data-testid={`${prefix}-applied-${v.id}`}>{t('benefits.outcomes.applied')}</Button>
      <Button size="small" onClick={() => void record('declined')}>{t('benefits.outcomes.declined')}</Button>
      <Button size="small" onClick={() => void record('unreachable')}>{t('benefits.outcomes.unreachable')}</Button>
      <Input size="small" style={{ width: 140 }} placeholder={t('benefits.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      <Button size="small" danger onClick={() => void record('not_eligible')}>{t('benefits.outcomes.not_eligible')}</Button>
    </Space>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <Space size="small" wrap className="ms-visit-legend" data-testid="visit-legend">
      {STATUSES.map((s) => (
        <span key={s}>
          <span className="ms-visit-dot" style={{ background: VISIT_COLORS[s] }} /> {t(`benefits.outcomes.${s}`)}
        </span>
      ))}
    </Space>
  );
}

function GridProgress({ data }: { data: VisitProgress | undefined }) {
  const { t } = useTranslation();
  return (
    <Table
      rowKey="grid"
      size="small"
      pagination={false}
      dataSource={data?.grids ?? []}
      data-testid="visit-progress-grids"
      title={() => t('benefits.progressByGrid')}
      columns={[
        { title: t('benefits.street'), dataIndex: 'street' },
        { title: t('benefits.grid'), dataIndex: 'grid' },
        { title: t('benefits.visited'), render: (_, g: VisitProgress['grids'][number]) => <span data-testid={`grid-done-${g.grid}`}>{`${g.total - g.open}/${g.total}`}</span> },
        ...(['applied', 'declined', 'not_eligible', 'unreachable'] as const).map((s) => ({ title: t(`benefits.outcomes.${s}`), dataIndex: s })),
      ]}
    />
  );
}

export function VisitsTab({ canCreate }: { canCreate: boolean }) {
  const { t } = useTranslation();
  const bi = useBi();
  const screens = Grid.useBreakpoint();
  const visits = useFetch<{ total: number; items: Visit[] }>(withQuery('/api/v1/benefits/visits', { limit: 500 }));
  const progress = useFetch<VisitProgress>('/api/v1/benefits/visits/progress');
  const policies = useFetch<{ items: PolicyView[] }>('/api/v1/benefits/policies');
  const run = useLatestRun<{ id: string }>(canCreate);
  const [open, setOpen] = useState<{ id: string; seq: number } | null>(null);
  const [highlight, setHighlight] = useState<string | null>(null);
  const [view, setView] = useState<'list' | 'map'>('list');

  const policyName = useMemo(() => {
    const names = new Map<string, Bi>((policies.data?.items ?? []).map((p) => [p.code, p.policy.name]));
    return (code: string) => {
      const n = names.get(code);
      return n ? bi(n) : code;
    };
  }, [policies.data, bi]);

  const items = useMemo(() => visits.data?.items ?? [], [visits.data]);
  const households = useMemo(() => {
    const m = new Map<string, Visit[]>();
    for (const v of items) m.set(householdKey(v), [...(m.get(householdKey(v)) ?? []), v]);
    return m;
  }, [items]);
  const points = useMemo<MapPoint[]>(
    () =>
      [...households].flatMap(([id, vs]) => {
        const at = vs.find((v) => v.lon !== null && v.lat !== null);
        return at ? [{ id, lon: at.lon!, lat: at.lat!, color: VISIT_COLORS[householdStatus(vs)] }] : [];
      }),
    [households],
  );
  const unplaced = households.size - points.length;

  const reload = () => {
    visits.reload();
    progress.reload();
  };
  const create = async () => {
    if (!run.data) return;
    const r = await attempt(api.post<{ created: number }>('/api/v1/benefits/worklists', { runId: run.data.id }));
    if (r) {
      void message.success(t('benefits.visitsCreated', { n: r.value.created }));
      reload();
    }
  };
  const showRow = (visitId: string) => {
    setHighlight(visitId);
    setView('list');
    requestAnimationFrame(() => document.querySelector(`[data-row-key="${visitId}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
  };
  const showOnMap = (v: Visit) => {
    setView('map');
    setOpen((o) => ({ id: householdKey(v), seq: (o?.seq ?? 0) + 1 }));
  };

  const popup = (id: string) => (
    <div className="ms-visit-popup">
      {(households.get(id) ?? []).map((v) => (
        <div key={v.id} className="ms-visit-popup__item" data-testid={`popup-visit-${v.id}`}>
          <Typography.Text strong>{v.name ?? v.personId.slice(0, 8)}</Typography.Text> · {policyName(v.policy)} <StatusTag v={v} />
          <div className="ms-benefit-reason">{bi(v.summary)}</div>
          {v.address ? <div className="ms-benefit-reason">{v.address}</div> : null}
          {v.status === 'open' ? <OutcomeButtons v={v} prefix="popup" onDone={reload} /> : null}
          <div>
            <a onClick={() => showRow(v.id)} data-testid={`popup-row-${v.id}`}>{t('benefits.showInList')}</a>
          </div>
        </div>
      ))}
    </div>
  );

  const list = (
    <Table
      rowKey="id"
      size="small"
      pagination={{ pageSize: 50 }}
      loading={visits.loading}
      dataSource={items}
      data-testid="visit-list"
      rowClassName={(v) => (v.id === highlight ? 'ms-visit-row--highlight' : '')}
      columns={[
        { title: t('benefits.grid'), dataIndex: 'gridCode' },
        { title: t('benefits.person'), render: (_, v: Visit) => v.name ?? v.personId.slice(0, 8), onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
        { title: t('benefits.policy'), render: (_, v: Visit) => policyName(v.policy) },
        { title: t('benefits.why'), render: (_, v: Visit) => bi(v.summary) },
        {
          title: t('benefits.outcome'),
          render: (_, v: Visit) => (
            <Space direction="vertical" size={2}>
              <Space size="small">
                <StatusTag v={v} />
                {v.lon !== null ? (
                  <a className="ms-noprint" onClick={() => showOnMap(v)} data-testid={`visit-locate-${v.id}`}>{t('benefits.showOnMap')}</a>
                ) : null}
              </Space>
              {v.status === 'open' ? <OutcomeButtons v={v} prefix="visit" onDone={reload} /> : null}
            </Space>
          ),
        },
      ]}
    />
  );
  const mapPane = (
    <div className="ms-noprint">
      <PointMap points={points} outlines="grid_cell" height={screens.lg ? 560 : 420} testId="visit-map" popup={popup} open={open} />
      <Legend />
      {unplaced > 0 ? <Typography.Text type="secondary">{t('benefits.unplaced', { n: unplaced })}</Typography.Text> : null}
    </div>
  );

  return (
    <div>
      <Space className="ms-noprint" wrap>
        {canCreate ? <Button onClick={() => void create()} data-testid="create-visits">{t('benefits.createVisits')}</Button> : null}
        <Button onClick={() => window.print()}>{t('benefits.print')}</Button>
        <Typography.Text type="secondary" data-testid="visit-count">{t('benefits.visitCount', { n: visits.data?.total ?? 0, households: households.size })}</Typography.Text>
        {(progress.data?.streets ?? []).map((s) => (
          <Tag key={s.street}>{t('benefits.progress', { street: s.street, done: s.total - s.open, total: s.total })}</Tag>
        ))}
      </Space>
      {screens.lg ? (
        <Row gutter={16}>
          <Col span={14}>{list}</Col>
          <Col span={10}>
            <div className="ms-visit-map-col">{mapPane}</div>
          </Col>
        </Row>
      ) : (
        <Tabs
          activeKey={view}
          onChange={(k) => setView(k as 'list' | 'map')}
          items={[
            { key: 'list', label: t('benefits.listView'), children: list },
            { key: 'map', label: t('benefits.mapView'), children: mapPane },
          ]}
        />
      )}
      <GridProgress data={progress.data} />
    </div>
  );
}
