import {
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  setWorkerUrl,
  type GeoJSONSource,
  type LayerSpecification,
  type StyleSpecification,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { bboxOf, emptyCollection, labelPoint, MAP_LEVELS, type AreaCollection, type AreaFeature, type MapLevel } from './geo';

// maplibre resolves its worker next to its own module, which bundling breaks: point it at the emitted asset.
setWorkerUrl(workerUrl);

export type MapState = 'loading' | 'ready' | 'unavailable';

interface Props {
  collections: Record<MapLevel, AreaCollection> | null;
  basemapTileUrl: string | null;
  visible: Record<MapLevel, boolean>;
  selected: AreaFeature | null;
  /** Zoom to this area; `seq` changes on every request so the same area can be focused again. */
  focus: { code: string; seq: number } | null;
  onSelect: (feature: AreaFeature | null) => void;
  onStateChange: (state: MapState) => void;
}

/** Distinct look per level; streets on top and strongest. */
const LEVEL_STYLE: Record<MapLevel, { fill: string; fillOpacity: number; line: string; width: number; dash?: number[] }> = {
  subdistrict: { fill: '#1677ff', fillOpacity: 0.1, line: '#1d39c4', width: 2.5 },
  community: { fill: '#52c41a', fillOpacity: 0.06, line: '#389e0d', width: 1.2, dash: [3, 2] },
  grid_cell: { fill: '#fa8c16', fillOpacity: 0.05, line: '#d46b08', width: 0.6 },
};

/** HTML labels (no glyph server offline): streets always, finer levels when zoomed in. */
const LABEL_MIN_ZOOM: Record<MapLevel, number> = { subdistrict: 0, community: 13, grid_cell: 15 };

/** Click picks the finest level under the pointer. */
const PICK_ORDER: readonly MapLevel[] = ['grid_cell', 'community', 'subdistrict'];

const DEFAULT_CENTER: [number, number] = [120.38, 36.07]; // 市南区

const sourceId = (level: MapLevel) => `areas-${level}`;
const fillId = (level: MapLevel) => `areas-${level}-fill`;
const lineId = (level: MapLevel) => `areas-${level}-line`;

function baseStyle(basemapTileUrl: string | null): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
  };
  if (basemapTileUrl) {
    style.sources.basemap = { type: 'raster', tiles: [basemapTileUrl], tileSize: 256 };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
  }
  return style;
}

function webgl2Available(): boolean {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
}

function levelLayers(level: MapLevel): { fill: LayerSpecification; line: LayerSpecification } {
  const s = LEVEL_STYLE[level];
  return {
    fill: {
      id: fillId(level),
      type: 'fill',
      source: sourceId(level),
      paint: { 'fill-color': s.fill, 'fill-opacity': s.fillOpacity },
    },
    line: {
      id: lineId(level),
      type: 'line',
      source: sourceId(level),
      layout: { 'line-join': 'round' },
      paint: { 'line-color': s.line, 'line-width': s.width, ...(s.dash ? { 'line-dasharray': s.dash } : {}) },
    },
  };
}

function createLabels(collections: Record<MapLevel, AreaCollection>): Record<MapLevel, Marker[]> {
  const labels = { subdistrict: [], community: [], grid_cell: [] } as Record<MapLevel, Marker[]>;
  for (const level of MAP_LEVELS) {
    for (const feature of collections[level].features) {
      const at = labelPoint(feature);
      if (!at) continue;
      const el = document.createElement('div');
      el.className = `ms-label ms-label--${level}`;
      el.textContent = feature.properties.name;
      el.dataset.code = feature.properties.code;
      if (level === 'subdistrict') el.dataset.testid = 'street-label';
      labels[level].push(new Marker({ element: el, anchor: 'center' }).setLngLat(at));
    }
  }
  return labels;
}

export function AreaMap({ collections, basemapTileUrl, visible, selected, focus, onSelect, onStateChange }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [layersAdded, setLayersAdded] = useState(false);
  const syncLabels = useRef<(() => void) | null>(null);
  const latest = useRef({ collections, visible, onSelect, onStateChange });
  useEffect(() => {
    latest.current = { collections, visible, onSelect, onStateChange };
  });

  // Create the map. Without WebGL2 maplibre throws: report it and let the page work without the map.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const fail = (error?: unknown) => {
      if (error) console.warn('map unavailable', error);
      latest.current.onStateChange('unavailable');
    };
    if (!webgl2Available()) return fail();
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({
        container,
        style: baseStyle(basemapTileUrl),
        center: DEFAULT_CENTER,
        zoom: 12,
        attributionControl: false,
      });
    } catch (error) {
      return fail(error);
    }
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    instance.on('error', (e) => console.warn('map error', e.error));
    instance.on('load', () => setMap(instance));
    instance.on('click', (e) => {
      const layers = PICK_ORDER.map(fillId).filter((id) => instance.getLayer(id));
      const hits = instance.queryRenderedFeatures(e.point, { layers });
      const { collections: current, onSelect: select } = latest.current;
      for (const level of PICK_ORDER) {
        const hit = hits.find((f) => f.layer.id === fillId(level));
        const code: unknown = hit?.properties.code;
        if (typeof code !== 'string') continue;
        // Select the original feature: rendered ones are clipped to tiles.
        const original = current?.[level].features.find((f) => f.properties.code === code);
        if (original) return select(original);
      }
      select(null);
    });
    for (const level of MAP_LEVELS) {
      instance.on('mouseenter', fillId(level), () => (instance.getCanvas().style.cursor = 'pointer'));
      instance.on('mouseleave', fillId(level), () => (instance.getCanvas().style.cursor = ''));
    }
    return () => {
      setMap(null);
      setLayersAdded(false);
      instance.remove();
    };
  }, [basemapTileUrl]);

  // Sources and layers once the style has loaded and the data is there; later data replaces it.
  useEffect(() => {
    if (!map || !collections) return;
    const existing = map.getSource<GeoJSONSource>(sourceId('subdistrict'));
    if (existing) {
      for (const level of MAP_LEVELS) void map.getSource<GeoJSONSource>(sourceId(level))?.setData(collections[level]);
      return;
    }
    for (const level of MAP_LEVELS) map.addSource(sourceId(level), { type: 'geojson', data: collections[level] });
    // fills bottom-up, then outlines finest first so street outlines are drawn last (on top)
    for (const level of MAP_LEVELS) map.addLayer(levelLayers(level).fill);
    for (const level of [...MAP_LEVELS].reverse()) map.addLayer(levelLayers(level).line);
    map.addSource('selection', { type: 'geojson', data: emptyCollection() });
    map.addLayer({ id: 'selection-fill', type: 'fill', source: 'selection', paint: { 'fill-color': '#fadb14', 'fill-opacity': 0.25 } });
    map.addLayer({ id: 'selection-line', type: 'line', source: 'selection', paint: { 'line-color': '#d4380d', 'line-width': 3 } });

    const box =
      bboxOf(collections.subdistrict.features) ??
      bboxOf([...collections.community.features, ...collections.grid_cell.features]);
    if (box) map.fitBounds(box, { padding: 32, duration: 0 });
    setLayersAdded(true);
    latest.current.onStateChange('ready');
  }, [map, collections]);

  // Layer toggles.
  useEffect(() => {
    if (!map || !layersAdded) return;
    for (const level of MAP_LEVELS) {
      const visibility = visible[level] ? 'visible' : 'none';
      map.setLayoutProperty(fillId(level), 'visibility', visibility);
      map.setLayoutProperty(lineId(level), 'visibility', visibility);
    }
  }, [map, layersAdded, visible]);

  // Labels as HTML markers, attached only while their level is shown (each attached marker costs a
  // DOM update on every camera move).
  useEffect(() => {
    if (!map || !layersAdded || !collections) return;
    const labels = createLabels(collections);
    const shown = new Set<MapLevel>();
    const sync = () => {
      const zoom = map.getZoom();
      for (const level of MAP_LEVELS) {
        const show = latest.current.visible[level] && zoom >= LABEL_MIN_ZOOM[level];
        if (show === shown.has(level)) continue;
        for (const marker of labels[level]) {
          if (show) marker.addTo(map);
          else marker.remove();
        }
        if (show) shown.add(level);
        else shown.delete(level);
      }
    };
    sync();
    map.on('zoomend', sync);
    syncLabels.current = sync;
    return () => {
      map.off('zoomend', sync);
      syncLabels.current = null;
      for (const level of MAP_LEVELS) labels[level].forEach((m) => m.remove());
    };
  }, [map, layersAdded, collections]);
  useEffect(() => syncLabels.current?.(), [visible]);

  // Highlight the selection.
  useEffect(() => {
    if (!map || !layersAdded) return;
    const data: AreaCollection = { type: 'FeatureCollection', features: selected ? [selected] : [] };
    void map.getSource<GeoJSONSource>('selection')?.setData(data);
  }, [map, layersAdded, selected]);

  // Zoom to a requested area.
  useEffect(() => {
    if (!map || !layersAdded || !focus) return;
    const feature = MAP_LEVELS.flatMap((level) => latest.current.collections?.[level].features ?? []).find(
      (f) => f.properties.code === focus.code,
    );
    const box = feature && bboxOf([feature]);
    if (box) map.fitBounds(box, { padding: 48, maxZoom: 16 });
  }, [map, layersAdded, focus]);

  // maplibre makes its container position: relative, so it fills an absolutely placed wrapper.
  return (
    <div className="ms-map-canvas" data-testid="map-canvas">
      <div ref={containerRef} style={{ width: '100%', height: '100%' }} />
    </div>
  );
}
