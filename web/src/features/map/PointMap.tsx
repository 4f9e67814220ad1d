import type { FeatureCollection, Point } from 'geojson';
import { Map as MapLibreMap, Marker, NavigationControl, Popup, setWorkerUrl, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { bboxOf, type AreaCollection } from './geo';
import './point-map.css';

setWorkerUrl(workerUrl);

/** One thing at a place: a ticket, a household to visit. */
export interface MapPoint {
  id: string;
  lon: number;
  lat: number;
  color: string;
  /** heatmap weight (default 0; the heat is 1 + weight) */
  weight?: number;
}

interface Props {
  points: MapPoint[];
  /** one point: a marker; several: circles in their colours and optionally a heatmap */
  single?: boolean;
  heatmap?: boolean;
  /** the outlines drawn for orientation (no basemap: nothing is fetched from a tile server) */
  outlines?: 'subdistrict' | 'grid_cell';
  height: number;
  testId: string;
  onPick?: (id: string) => void;
  /** the content of a point's popup, opened on click (rendered in this React tree) */
  popup?: (id: string) => ReactNode;
  /** open this point's popup; `seq` changes on every request so the same point can be opened again */
  open?: { id: string; seq: number } | null;
}

type MapState = 'loading' | 'ready' | 'unavailable';

const DEFAULT_CENTER: [number, number] = [120.38, 36.07]; // 市南区

/** No basemap: a plain background with the area outlines for orientation. */
const STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }],
};

function webgl2Available(): boolean {
  try {
    return !!document.createElement('canvas').getContext('webgl2');
  } catch {
    return false;
  }
}

function collection(points: readonly MapPoint[]): FeatureCollection<Point, { id: string; color: string; weight: number }> {
  return {
    type: 'FeatureCollection',
    features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id, color: p.color, weight: p.weight ?? 0 } })),
  };
}

function bounds(points: readonly MapPoint[]): [number, number, number, number] | null {
  if (points.length === 0) return null;
  const lons = points.map((p) => p.lon);
  const lats = points.map((p) => p.lat);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

/** Points on a MapLibre map (tickets, worklists); degrades to a notice without WebGL. */
export function PointMap({ points, single = false, heatmap = false, outlines = 'subdistrict', height, testId, onPick, popup, open }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [state, setState] = useState<MapState>('loading');
  const [shown, setShown] = useState<{ id: string; el: HTMLElement } | null>(null);
  const latest = useRef({ onPick, points, hasPopup: !!popup });
  const current = useRef<Popup | null>(null);
  const framed = useRef('');
  useEffect(() => {
    latest.current = { onPick, points, hasPopup: !!popup };
  });

  useEffect(() => {
    const container = ref.current;
    if (!container) return;
    if (!webgl2Available()) return setState('unavailable');
    let instance: MapLibreMap;
    try {
      instance = new MapLibreMap({ container, style: STYLE, center: DEFAULT_CENTER, zoom: 12, attributionControl: false });
    } catch (error) {
      console.warn('map unavailable', error);
      return setState('unavailable');
    }
    instance.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    instance.on('error', (e) => console.warn('map error', e.error));
    const controller = new AbortController();
    instance.on('load', () => {
      instance.addSource('outlines', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      instance.addLayer({ id: 'outlines-fill', type: 'fill', source: 'outlines', paint: { 'fill-color': '#1677ff', 'fill-opacity': 0.04 } });
      instance.addLayer({ id: 'outlines-line', type: 'line', source: 'outlines', paint: { 'line-color': '#8c9bb5', 'line-width': 1 } });
      instance.addSource('points', { type: 'geojson', data: collection([]) });
      if (heatmap) {
        instance.addLayer({
          id: 'points-heat',
          type: 'heatmap',
          source: 'points',
          maxzoom: 16,
          paint: {
            'heatmap-weight': ['+', 1, ['get', 'weight']],
            'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 12, 15, 36],
            'heatmap-opacity': ['interpolate', ['linear'], ['zoom'], 13, 0.8, 16, 0.2],
          },
        });
      }
      if (!single) {
        instance.addLayer({
          id: 'points-circle',
          type: 'circle',
          source: 'points',
          paint: {
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3, 16, 8],
            'circle-color': ['get', 'color'],
            'circle-stroke-color': '#fff',
            'circle-stroke-width': 1.5,
          },
        });
        instance.on('click', 'points-circle', (e) => {
          const id: unknown = e.features?.[0]?.properties.id;
          if (typeof id === 'string') latest.current.onPick?.(id);
          if (typeof id === 'string' && latest.current.hasPopup) showPopup(instance, id);
        });
        instance.on('mouseenter', 'points-circle', () => (instance.getCanvas().style.cursor = 'pointer'));
        instance.on('mouseleave', 'points-circle', () => (instance.getCanvas().style.cursor = ''));
      }
      api
        .get<AreaCollection>(`/api/v1/areas/geojson?level=${outlines}`, { signal: controller.signal, quiet: true })
        .then((areas) => {
          void instance.getSource<GeoJSONSource>('outlines')?.setData(areas);
          // Nothing to show: frame the district.
          const box = bboxOf(areas.features);
          if (latest.current.points.length === 0 && box) instance.fitBounds(box, { padding: 16, duration: 0 });
        })
        .catch(() => undefined); // outlines are decoration
      setMap(instance);
      setState('ready');
    });
    return () => {
      controller.abort();
      current.current?.remove();
      setMap(null);
      instance.remove();
    };
  }, [single, heatmap, outlines]);

  /** A maplibre popup whose content React renders through a portal (so it keeps i18n, antd and state). */
  function showPopup(instance: MapLibreMap, id: string) {
    const p = latest.current.points.find((x) => x.id === id);
    if (!p) return;
    current.current?.remove();
    const el = document.createElement('div');
    el.dataset.testid = `${testId}-popup`;
    const popupInstance = new Popup({ closeButton: true, maxWidth: '360px', offset: 10 }).setLngLat([p.lon, p.lat]).setDOMContent(el).addTo(instance);
    popupInstance.on('close', () => setShown((s) => (s?.el === el ? null : s)));
    current.current = popupInstance;
    setShown({ id, el });
  }

  // Points, and the view that shows them.
  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>('points')?.setData(collection(points));
    const first = points[0];
    if (single && first) {
      const marker = new Marker({ color: first.color }).setLngLat([first.lon, first.lat]).addTo(map);
      map.jumpTo({ center: [first.lon, first.lat], zoom: 15 });
      return () => void marker.remove();
    }
    // Frame the points when they move or change, not when only their colours do (an outcome recorded).
    const key = points.map((p) => `${p.id}@${p.lon},${p.lat}`).join(';');
    const box = bounds(points);
    if (box && key !== framed.current) map.fitBounds(box, { padding: 40, maxZoom: 16, duration: 0 });
    framed.current = key;
  }, [map, points, single]);

  // Open a point's popup on request (e.g. from a list row).
  useEffect(() => {
    if (!map || !open) return;
    const p = latest.current.points.find((x) => x.id === open.id);
    if (!p) return;
    map.easeTo({ center: [p.lon, p.lat], zoom: Math.max(map.getZoom(), 15), duration: 0 });
    if (latest.current.hasPopup) showPopup(map, open.id); // reads refs only
  }, [map, open]);

  return (
    <div className="ms-point-map" style={{ height }} data-testid={testId} data-map-state={state} data-points={points.length}>
      {/* maplibre makes its container position: relative, so it goes inside the absolutely placed wrapper */}
      <div className="ms-point-map__canvas">
        <div ref={ref} style={{ width: '100%', height: '100%' }} />
      </div>
      {state === 'unavailable' && <div className="ms-point-map__notice">{t('dashboard.webglUnavailable')}</div>}
      {shown && popup ? createPortal(popup(shown.id), shown.el) : null}
    </div>
  );
}
