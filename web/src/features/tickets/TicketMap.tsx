import type { FeatureCollection, Point } from 'geojson';
import { Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { bboxOf, type AreaCollection } from '../map/geo';

setWorkerUrl(workerUrl);

export interface TicketPoint {
  id: string;
  lon: number;
  lat: number;
  overdue: boolean;
}

interface Props {
  points: TicketPoint[];
  /** one ticket: a marker; several: circles (red when overdue) and optionally a heatmap */
  single?: boolean;
  heatmap?: boolean;
  height: number;
  onPick?: (id: string) => void;
}

type MapState = 'loading' | 'ready' | 'unavailable';

const DEFAULT_CENTER: [number, number] = [120.38, 36.07]; // 市南区
const OPEN = '#1677ff';
const OVERDUE = '#f5222d';

/** No basemap: a plain background with the street outlines for orientation. */
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

function collection(points: readonly TicketPoint[]): FeatureCollection<Point, { id: string; overdue: number }> {
  return {
    type: 'FeatureCollection',
    features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { id: p.id, overdue: p.overdue ? 1 : 0 } })),
  };
}

function bounds(points: readonly TicketPoint[]): [number, number, number, number] | null {
  if (points.length === 0) return null;
  const lons = points.map((p) => p.lon);
  const lats = points.map((p) => p.lat);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

/** Tickets on a MapLibre map; degrades to a notice without WebGL. */
export function TicketMap({ points, single = false, heatmap = false, height, onPick }: Props) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [state, setState] = useState<MapState>('loading');
  const pick = useRef(onPick);
  const hasPoints = useRef(points.length > 0);
  useEffect(() => {
    pick.current = onPick;
    hasPoints.current = points.length > 0;
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
      instance.addSource('streets', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      instance.addLayer({ id: 'streets-fill', type: 'fill', source: 'streets', paint: { 'fill-color': '#1677ff', 'fill-opacity': 0.04 } });
      instance.addLayer({ id: 'streets-line', type: 'line', source: 'streets', paint: { 'line-color': '#8c9bb5', 'line-width': 1 } });
      instance.addSource('tickets', { type: 'geojson', data: collection([]) });
      if (heatmap) {
        instance.addLayer({
          id: 'tickets-heat',
          type: 'heatmap',
          source: 'tickets',
          maxzoom: 16,
          paint: {
            'heatmap-weight': ['+', 1, ['get', 'overdue']],
            'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 12, 15, 36],
            'heatmap-opacity': ['interpolate', ['linear'], ['zoom'], 13, 0.8, 16, 0.2],
          },
        });
      }
      if (!single) {
        instance.addLayer({
          id: 'tickets-point',
          type: 'circle',
          source: 'tickets',
          paint: {
            'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 3, 16, 7],
            'circle-color': ['case', ['==', ['get', 'overdue'], 1], OVERDUE, OPEN],
            'circle-stroke-color': '#fff',
            'circle-stroke-width': 1,
          },
        });
        instance.on('click', 'tickets-point', (e) => {
          const id: unknown = e.features?.[0]?.properties.id;
          if (typeof id === 'string') pick.current?.(id);
        });
        instance.on('mouseenter', 'tickets-point', () => (instance.getCanvas().style.cursor = 'pointer'));
        instance.on('mouseleave', 'tickets-point', () => (instance.getCanvas().style.cursor = ''));
      }
      api
        .get<AreaCollection>('/api/v1/areas/geojson?level=subdistrict', { signal: controller.signal, quiet: true })
        .then((streets) => {
          void instance.getSource<GeoJSONSource>('streets')?.setData(streets);
          // Nothing to show: frame the district.
          const box = bboxOf(streets.features);
          if (!hasPoints.current && box) instance.fitBounds(box, { padding: 16, duration: 0 });
        })
        .catch(() => undefined); // outlines are decoration
      setMap(instance);
      setState('ready');
    });
    return () => {
      controller.abort();
      setMap(null);
      instance.remove();
    };
  }, [single, heatmap]);

  // Points, and the view that shows them.
  useEffect(() => {
    if (!map) return;
    void map.getSource<GeoJSONSource>('tickets')?.setData(collection(points));
    const first = points[0];
    if (single && first) {
      const marker = new Marker({ color: first.overdue ? OVERDUE : OPEN }).setLngLat([first.lon, first.lat]).addTo(map);
      map.jumpTo({ center: [first.lon, first.lat], zoom: 15 });
      return () => void marker.remove();
    }
    const box = bounds(points);
    if (box) map.fitBounds(box, { padding: 40, maxZoom: 15, duration: 0 });
  }, [map, points, single]);

  return (
    <div className="ms-ticket-map" style={{ height }} data-testid="ticket-map" data-map-state={state}>
      {/* maplibre makes its container position: relative, so it goes inside the absolutely placed wrapper */}
      <div className="ms-ticket-map__canvas">
        <div ref={ref} style={{ width: '100%', height: '100%' }} />
      </div>
      {state === 'unavailable' && <div className="ms-ticket-map__notice">{t('dashboard.webglUnavailable')}</div>}
    </div>
  );
}
