/**
 * 服务圈: coverage of a facility type under a standard — share, gaps per area, uncovered places
 * (masked), siting proposals, and a what-if mode: add a site and drag it; the browser recomputes
 * with the server's own core (src/domain/facilities/core/what-if.ts), only the points within
 * reach of the old and new position.
 */
import { Alert, Button, Card, Col, Empty, InputNumber, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../../api';
import { useAppConfig } from '../../shared/config';
import { useFetch } from '../../shared/useFetch';
import { WhatIfState } from '../../../../src/domain/facilities/core/what-if';
import { planeFor, type Plane } from '../../../../src/domain/facilities/core/plane';
import { CoverageMap } from './CoverageMap';
import { pct, type CoveragePoints, type CoverageReport, type FacilityType, type Group, type Level, type SitingReport } from './facilitiesApi';

type FC = { type: 'FeatureCollection'; features: { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }[] };

interface WhatIf {
  state: WhatIfState;
  plane: Plane;
  cells: string[];
  baseline: number;
}

export default function FacilitiesPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const config = useAppConfig();
  const types = useFetch<{ items: FacilityType[] }>('/api/v1/facilities/types');
  const [type, setType] = useState('ev_charger');
  const [radius, setRadius] = useState<number | null>(900);
  const [group, setGroup] = useState<Group | undefined>(undefined);
  const [level, setLevel] = useState<Level>('subdistrict');
  const [report, setReport] = useState<CoverageReport | null>(null);
  const [grid, setGrid] = useState<FC | null>(null);
  const [busy, setBusy] = useState(false);
  const [siting, setSiting] = useState<SitingReport | null>(null);
  const [sitingBusy, setSitingBusy] = useState(false);
  const [facilities, setFacilities] = useState<CoveragePoints['facilities']>([]);
  const whatIf = useRef<WhatIf | null>(null);
  const [sites, setSites] = useState<{ lon: number; lat: number; index: number }[]>([]);
  const [share, setShare] = useState<number | null>(null);
  const [tick, setTick] = useState(0);
  const frame = useRef<number | null>(null);
  const [mapState, setMapState] = useState<'loading' | 'ready' | 'unavailable'>('loading');

  useEffect(() => {
    void api.get<FC>(withQuery('/api/v1/areas/geojson', { level: 'grid_cell' })).then(setGrid, () => undefined);
  }, []);

  const query = useMemo(() => ({ type, ...(radius ? { radius } : {}), ...(group ? { population: group } : {}) }), [type, radius, group]);

  const compute = async () => {
    setBusy(true);
    setSiting(null);
    try {
      const [rep, pts] = await Promise.all([
        api.get<CoverageReport>(withQuery('/api/v1/coverage', { ...query, level, uncoveredLimit: 50 })),
        api.get<CoveragePoints>(withQuery('/api/v1/coverage/points', query)),
      ]);
      const plane = planeFor([...pts.points.lon, ...pts.facilities.map((f) => f.lon)], [...pts.points.lat, ...pts.facilities.map((f) => f.lat)]);
      const state = new WhatIfState(
        { x: Float64Array.from(pts.points.lon, plane.toX), y: Float64Array.from(pts.points.lat, plane.toY), w: Float64Array.from(pts.points.w) },
        { x: pts.facilities.map((f) => plane.toX(f.lon)), y: pts.facilities.map((f) => plane.toY(f.lat)) },
        pts.standard.exactReachM,
        Int32Array.from(pts.points.cell),
        pts.cells.length,
      );
      whatIf.current = { state, plane, cells: pts.cells, baseline: state.total > 0 ? state.coveredWeight / state.total : 0 };
      setFacilities(pts.facilities);
      setSites([]);
      setShare(state.total > 0 ? state.coveredWeight / state.total : null);
      setReport(rep);
      setTick((n) => n + 1);
    } catch {
      // shown by the API layer
    } finally {
      setBusy(false);
    }
  };

  const refresh = () => {
    const w = whatIf.current;
    if (!w) return;
    setShare(w.state.total > 0 ? w.state.coveredWeight / w.state.total : null);
    setTick((n) => n + 1);
  };

  const addSite = (lon: number, lat: number) => {
    const w = whatIf.current;
    if (!w) return;
    const { index } = w.state.add(w.plane.toX(lon), w.plane.toY(lat));
    setSites((s) => [...s, { lon, lat, index }]);
    refresh();
  };

  const dragSite = (i: number, lon: number, lat: number) => {
    const w = whatIf.current;
    const site = sites[i];
    if (!w || !site) return;
    w.state.move(site.index, w.plane.toX(lon), w.plane.toY(lat));
    site.lon = lon;
    site.lat = lat;
    if (frame.current === null) {
      frame.current = requestAnimationFrame(() => {
        frame.current = null;
        setSites((s) => [...s]);
        refresh();
      });
    }
  };

  const clearSites = () => {
    const w = whatIf.current;
    if (!w) return;
    for (const s of sites) w.state.remove(s.index);
    setSites([]);
    refresh();
  };

  const propose = async () => {
    setSitingBusy(true);
    try {
      setSiting(await api.post<SitingReport>('/api/v1/coverage/siting', { type, add: 5, ...(radius ? { radius } : {}), ...(group ? { population: group } : {}) }));
    } catch {
      // shown by the API layer
    } finally {
      setSitingBusy(false);
    }
  };

  // grid cells shaded by covered share (what-if included)
  const cells = useMemo<FC | null>(() => {
    const w = whatIf.current;
    void tick; // recomputed after each what-if change
    if (!grid || !w) return grid;
    const index = new Map(w.cells.map((c, i) => [c, i]));
    return {
      type: 'FeatureCollection',
      features: grid.features.map((f) => {
        const i = index.get(String(f.properties.code));
        const total = i === undefined ? 0 : w.state.areaTotal[i]!;
        return { ...f, properties: { ...f.properties, share: total > 0 ? w.state.areaCovered[i!]! / total : -1 } };
      }),
    };
  }, [grid, tick]);

  const typeOptions = (types.data?.items ?? []).map((x) => ({ value: x.code, label: `${en ? x.nameEn : x.name}` }));
  const chosen = types.data?.items.find((x) => x.code === type);
  const baseline = whatIf.current?.baseline ?? null;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="facilities-page">
      <Card size="small" title={t('facilities.title')}>
        <Space wrap>
          <Select style={{ width: 220 }} value={type} options={typeOptions} onChange={(v) => { setType(v); const d = types.data?.items.find((x) => x.code === v); setRadius(d?.standard.mode === 'radius' ? d.standard.radiusM : null); }} data-testid="coverage-type" />
          <InputNumber min={10} max={50000} value={radius} onChange={(v) => setRadius(v)} addonAfter={t('facilities.metres')} placeholder={chosen?.standard.description[en ? 'en' : 'zh']} style={{ width: 200 }} data-testid="coverage-radius" />
          <Select style={{ width: 180 }} allowClear placeholder={t('facilities.groupDefault')} value={group} onChange={setGroup}
            options={(['all', 'aged60', 'aged70', 'children', 'disabled'] as const).map((g) => ({ value: g, label: t(`facilities.groups.${g}`) }))} />
          <Select style={{ width: 140 }} value={level} onChange={setLevel} options={(['subdistrict', 'community', 'grid_cell'] as const).map((l) => ({ value: l, label: t(`facilities.levels.${l}`) }))} />
          <Button type="primary" loading={busy} onClick={() => void compute()} data-testid="coverage-compute">{t('facilities.compute')}</Button>
          {chosen && <Typography.Text type="secondary">{t('facilities.defaultStandard')}: {chosen.standard.description[en ? 'en' : 'zh']}</Typography.Text>}
        </Space>
      </Card>

      {!report ? (
        <Card><Empty description={t('facilities.pickAndCompute')} /></Card>
      ) : (
        <>
          <Alert type={report.totals.fullCoverage ? 'success' : 'warning'} showIcon message={report.answer[en ? 'en' : 'zh']} data-testid="coverage-answer" />
          <Row gutter={12}>
            <Col span={6}><Card size="small"><Statistic title={t('facilities.coverageRate')} value={pct(report.totals.coverageRate)} /><span data-testid="coverage-share" data-value={report.totals.coverageRate ?? ''} /></Card></Col>
            <Col span={6}><Card size="small"><Statistic title={t('facilities.uncovered')} value={Math.round(report.totals.uncovered)} /></Card></Col>
            <Col span={6}><Card size="small"><Statistic title={t('facilities.facilities')} value={report.totals.facilities} suffix={`· ${t('facilities.reach')} ${report.standard.reachM} m`} /></Card></Col>
            <Col span={6}><Card size="small"><Statistic title={t('facilities.perKm2')} value={report.totals.perKm2 ?? '—'} suffix={report.totals.perKm2Target ? `/ ${report.totals.perKm2Target}` : ''} /></Card></Col>
          </Row>
          <Card size="small" title={t('facilities.whatIf')} extra={
            <Space>
              <Button size="small" onClick={clearSites} disabled={sites.length === 0}>{t('facilities.clearSites')}</Button>
            </Space>
          }>
            <Space direction="vertical" style={{ width: '100%' }}>
              <Typography.Text>
                {t('facilities.whatIfHint')}{' '}
                <Tag color="purple" data-testid="whatif-share" data-value={share ?? ''}>{pct(share)}</Tag>
                {baseline !== null && share !== null && <Tag color={share > baseline ? 'green' : 'default'} data-testid="whatif-delta">{share >= baseline ? '+' : ''}{((share - baseline) * 100).toFixed(1)} pp</Tag>}
                {sites.length > 0 && <Typography.Text type="secondary">{t('facilities.whatIfSites', { n: sites.length })}</Typography.Text>}
              </Typography.Text>
              {mapState === 'unavailable' && <Alert type="info" message={t('facilities.mapUnavailable')} />}
              <CoverageMap
                basemapTileUrl={config.basemapTileUrl}
                cells={cells}
                facilities={facilities}
                reachM={report.standard.reachM}
                sites={siting?.sites ?? []}
                whatIf={sites}
                onDragWhatIf={dragSite}
                onState={setMapState}
              />
            </Space>
          </Card>
          <Card size="small" title={t('facilities.table')} extra={
            <Space>
              <a href={withQuery('/api/v1/coverage.xlsx', { ...query, level })} data-testid="coverage-xlsx">{t('facilities.exportExcel')}</a>
              <a href={withQuery('/api/v1/facilities/layer.geojson', { type })} download={`facilities-${type}.geojson`}>{t('facilities.exportGeoJson')}</a>
            </Space>
          }>
            <Table size="small" rowKey="code" pagination={{ pageSize: 15 }} dataSource={report.rows} data-testid="coverage-table"
              columns={[
                { title: t(`facilities.levels.${level}`), dataIndex: 'name' },
                { title: t('facilities.people'), dataIndex: 'people', render: (v: number) => Math.round(v).toLocaleString() },
                { title: t('facilities.coverageRate'), dataIndex: 'coverageRate', render: (v: number | null) => pct(v), sorter: (a, b) => (a.coverageRate ?? 0) - (b.coverageRate ?? 0) },
                { title: t('facilities.uncovered'), dataIndex: 'uncovered', render: (v: number) => Math.round(v).toLocaleString(), sorter: (a, b) => a.uncovered - b.uncovered },
                { title: t('facilities.facilities'), dataIndex: 'facilities' },
                { title: t('facilities.perKm2'), dataIndex: 'perKm2' },
                { title: t('facilities.perThousand'), dataIndex: 'capacityPerThousand' },
              ]} />
          </Card>
          <Row gutter={12}>
            <Col span={12}>
              <Card size="small" title={t('facilities.uncoveredList')}>
                <Table size="small" rowKey="id" pagination={{ pageSize: 8 }} dataSource={report.uncovered} data-testid="uncovered-table"
                  columns={[
                    { title: t('facilities.place'), dataIndex: 'label' },
                    { title: t('facilities.levels.grid_cell'), render: (_: unknown, r) => r.gridCell?.name ?? '—' },
                    { title: t('facilities.people'), dataIndex: 'people' },
                    { title: t('facilities.nearest'), dataIndex: 'nearestStraightM', render: (v: number | null) => (v === null ? '—' : `${v} m`) },
                    { title: '', render: (_: unknown, r, i) => <Button size="small" onClick={() => addSite(r.lon, r.lat)} data-testid={`whatif-add-${i}`}>{t('facilities.tryHere')}</Button> },
                  ]} />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title={t('facilities.siting')} extra={<Button size="small" loading={sitingBusy} onClick={() => void propose()} data-testid="siting-run">{t('facilities.propose5')}</Button>}>
                {siting ? (
                  <Space direction="vertical" style={{ width: '100%' }}>
                    <Typography.Text>{pct(siting.before.coverageRate)} → <b>{pct(siting.after.coverageRate)}</b></Typography.Text>
                    <Table size="small" rowKey="rank" pagination={false} dataSource={siting.sites} data-testid="siting-table"
                      columns={[
                        { title: '#', dataIndex: 'rank' },
                        { title: t('facilities.levels.subdistrict'), render: (_: unknown, r) => r.subdistrict?.name ?? '—' },
                        { title: t('facilities.levels.grid_cell'), render: (_: unknown, r) => r.gridCell?.name ?? '—' },
                        { title: t('facilities.gain'), dataIndex: 'gain', render: (v: number) => Math.round(v).toLocaleString() },
                        { title: t('facilities.coverageRate'), dataIndex: 'coverageRateAfter', render: (v: number | null) => pct(v) },
                        { title: '', render: (_: unknown, r) => <Button size="small" onClick={() => addSite(r.lon, r.lat)}>{t('facilities.tryHere')}</Button> },
                      ]} />
                    <Typography.Text type="secondary">{siting.guarantee[en ? 'en' : 'zh']}</Typography.Text>
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t('facilities.sitingHint')}</Typography.Text>
                )}
              </Card>
            </Col>
          </Row>
          {report.population.isDemo && <Typography.Text type="secondary">{t('facilities.demoNote')}</Typography.Text>}
        </>
      )}
    </Space>
  );
}
