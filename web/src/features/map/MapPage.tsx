import { Alert, Card, Checkbox, Empty, Spin, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../../api';
import { useAppConfig } from '../../shared/config';
import type { Items, StreetStats } from '../../shared/types';
import { useFetch } from '../../shared/useFetch';
import { AreaDetails } from './AreaDetails';
import { AreaMap, type MapState } from './AreaMap';
import { MAP_LEVELS, type AreaCollection, type AreaFeature, type MapLevel } from './geo';
import { StatsChart } from './StatsChart';

type Collections = Record<MapLevel, AreaCollection>;

interface Street {
  code: string;
  name: string;
  stats: StreetStats | undefined;
}

/** The three boundary levels, fetched together. */
function useAreaCollections(): Collections | null {
  const [collections, setCollections] = useState<Collections | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    Promise.all(
      MAP_LEVELS.map((level) =>
        api.get<AreaCollection>(withQuery('/api/v1/areas/geojson', { level }), { signal: controller.signal }),
      ),
    ).then(
      ([subdistrict, community, grid_cell]) => {
        if (subdistrict && community && grid_cell) setCollections({ subdistrict, community, grid_cell });
      },
      () => undefined, // shown by the API layer
    );
    return () => controller.abort();
  }, []);
  return collections;
}

export default function MapPage() {
  const { t } = useTranslation();
  const config = useAppConfig();
  const collections = useAreaCollections();
  const stats = useFetch<Items<StreetStats>>('/api/v1/areas/stats');
  const [mapState, setMapState] = useState<MapState>('loading');
  const [visible, setVisible] = useState<Record<MapLevel, boolean>>({ subdistrict: true, community: true, grid_cell: false });
  const [selected, setSelected] = useState<AreaFeature | null>(null);
  const [focus, setFocus] = useState<{ code: string; seq: number } | null>(null);

  const names = useMemo(() => {
    const map = new Map<string, string>([[config.districtCode, config.districtName]]);
    for (const level of MAP_LEVELS) for (const f of collections?.[level].features ?? []) map.set(f.properties.code, f.properties.name);
    return map;
  }, [collections, config]);

  const isDemo = useMemo(
    () => MAP_LEVELS.some((level) => collections?.[level].features.some((f) => f.properties.isDemo)),
    [collections],
  );

  // Streets from the boundaries, plus any the stats know that have no geometry yet.
  const streets = useMemo<Street[]>(() => {
    const byCode = new Map<string, Street>();
    const statItems = stats.data?.items ?? [];
    for (const f of collections?.subdistrict.features ?? [])
      byCode.set(f.properties.code, { code: f.properties.code, name: f.properties.name, stats: undefined });
    for (const s of statItems) byCode.set(s.code, { code: s.code, name: byCode.get(s.code)?.name ?? s.name, stats: s });
    return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
  }, [collections, stats.data]);

  const selectStreet = useCallback(
    (code: string) => {
      const feature = collections?.subdistrict.features.find((f) => f.properties.code === code);
      const street = streets.find((s) => s.code === code);
      setSelected(
        feature ??
          (street
            ? {
                type: 'Feature',
                geometry: { type: 'GeometryCollection', geometries: [] },
                properties: { code, name: street.name, level: 'subdistrict', parentCode: config.districtCode, isDemo: false },
              }
            : null),
      );
      setFocus((prev) => ({ code, seq: (prev?.seq ?? 0) + 1 }));
    },
    [collections, streets, config.districtCode],
  );

  const levelLabel: Record<MapLevel, string> = {
    subdistrict: t('levels.subdistrict'),
    community: t('levels.community'),
    grid_cell: t('levels.grid_cell'),
  };

  return (
    <div className="ms-map-page" data-testid="map-page">
      <aside className="ms-map-side">
        <Card size="small" title={t('map.layers')}>
          {isDemo && (
            <Tooltip title={t('map.demoGeometryHint')}>
              <Tag color="orange" data-testid="demo-tag" style={{ marginBottom: 8 }}>
                {t('map.demoGeometry')}
              </Tag>
            </Tooltip>
          )}
          <div data-testid="layer-toggles">
            {MAP_LEVELS.map((level) => (
              <Checkbox
                key={level}
                checked={visible[level]}
                data-testid={`layer-toggle-${level}`}
                onChange={(e) => setVisible((v) => ({ ...v, [level]: e.target.checked }))}
              >
                {levelLabel[level]}
              </Checkbox>
            ))}
          </div>
        </Card>
        <Card size="small" title={`${t('map.streets')} (${streets.length})`}>
          {streets.length === 0 ? (
            collections || stats.data ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('map.streetListEmpty')} />
            ) : (
              <Spin size="small" />
            )
          ) : (
            <ul className="ms-street-list" data-testid="street-list">
              {streets.map((s) => (
                <li key={s.code}>
                  <button
                    type="button"
                    className="ms-street-item"
                    data-testid="street-item"
                    data-code={s.code}
                    aria-current={selected?.properties.code === s.code}
                    onClick={() => selectStreet(s.code)}
                  >
                    <span>
                      <div>{s.name}</div>
                      {s.stats && (
                        <div className="ms-street-item__meta">
                          {t('map.countSummary', { communities: s.stats.communities, gridCells: s.stats.gridCells })}
                        </div>
                      )}
                    </span>
                    <span className="ms-street-item__code">{s.code}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card size="small" title={t('map.chartTitle')}>
          {stats.data ? <StatsChart items={stats.data.items} /> : stats.loading ? <Spin size="small" /> : null}
        </Card>
      </aside>

      <section
        className="ms-map-main"
        data-testid={mapState === 'ready' ? 'map-ready' : 'map'}
        data-map-state={mapState}
        aria-label={t('nav.map')}
      >
        <AreaMap
          collections={collections}
          basemapTileUrl={config.basemapTileUrl}
          visible={visible}
          selected={selected}
          focus={focus}
          onSelect={setSelected}
          onStateChange={setMapState}
        />
        {mapState === 'unavailable' && (
          <Alert className="ms-map-notice" type="warning" showIcon title={t('map.webglUnavailable')} data-testid="map-unavailable" />
        )}
        {mapState === 'loading' && (
          <div className="ms-map-notice">
            <Spin size="small" /> {t('map.loadingMap')}
          </div>
        )}
        {selected ? (
          <AreaDetails key={selected.properties.code} feature={selected} names={names} onClose={() => setSelected(null)} />
        ) : (
          mapState === 'ready' && <div className="ms-map-hint">{t('map.clickHint')}</div>
        )}
      </section>
    </div>
  );
}
