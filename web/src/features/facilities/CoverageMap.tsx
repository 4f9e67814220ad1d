/**
 * The coverage map: grid cells shaded by covered share, facilities with their coverage circles,
 * proposed sites, and draggable what-if sites (each drag is recomputed in the browser).
 */
import { Map as MapLibreMap, Marker, NavigationControl, setWorkerUrl, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState } from 'react';

setWorkerUrl(workerUrl);

type FC = { type: 'FeatureCollection'; features: { type: 'Feature'; properties: Record<string, unknown>; geometry: unknown }[] };

interface Props {
  basemapTileUrl: string | null;
  cells: FC | null;
  facilities: { lon: number; lat: number; name: string }[];
  reachM: number;
  sites: { lon: number; lat: number }[];
  whatIf: { lon: number; lat: number }[];
  onDragWhatIf: (index: number, lon: number, lat: number) => void;
  onState: (state: 'ready' | 'unavailable') => void;
}

const empty = (): FC => ({ type: 'FeatureCollection', features: [] });

/** A circle of `r` metres as a 48-sided polygon (local flat approximation). */
export function circle(lon: number, lat: number, r: number) {
  const dLat = r / 111_195;
  const dLon = r / (111_195 * Math.cos((lat * Math.PI) / 180));
  const ring = Array.from({ length: 49 }, (_, k) => {
    const a = (2 * Math.PI * (k % 48)) / 48;
    return [lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)];
  });
  return { type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } };
}

const points = (ps: { lon: number; lat: number }[]): FC => ({
  type: 'FeatureCollection',
  features: ps.map((p) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })),
});

function style(basemap: string | null): StyleSpecification {
  const s: StyleSpecification = { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } }] };
  if (basemap) {
    s.sources.basemap = { type: 'raster', tiles: [basemap], tileSize: 256 };
    s.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
  }
  return s;
}

export function CoverageMap({ basemapTileUrl, cells, facilities, reachM, sites, whatIf, onDragWhatIf, onState }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const markers = useRef<Marker[]>([]);
  const latest = useRef({ onDragWhatIf, onState });
  useEffect(() => {
    latest.current = { onDragWhatIf, onState };
  });

  useEffect(() => {
    if (!ref.current) return;
    let m: MapLibreMap;
    try {
      if (!document.createElement('canvas').getContext('webgl2')) throw new Error('no WebGL2');
      m = new MapLibreMap({ container: ref.current, style: style(basemapTileUrl), center: [120.38, 36.07], zoom: 11.5, attributionControl: false });
    } catch {
      latest.current.onState('unavailable');
      return;
    }
    m.addControl(new NavigationControl({ showCompass: false }), 'top-left');
    m.on('load', () => {
      for (const id of ['cells', 'circles', 'facilities', 'sites', 'whatif-circles']) m.addSource(id, { type: 'geojson', data: empty() as never });
      m.addLayer({
        id: 'cells-fill', type: 'fill', source: 'cells',
        paint: {
          'fill-color': ['case', ['<', ['get', 'share'], 0], '#d9d9d9', ['interpolate', ['linear'], ['get', 'share'], 0, '#cf1322', 0.5, '#faad14', 0.9, '#a0d911', 1, '#389e0d']],
          'fill-opacity': 0.5,
        },
      });
      m.addLayer({ id: 'cells-line', type: 'line', source: 'cells', paint: { 'line-color': '#ffffff', 'line-width': 0.4 } });
      m.addLayer({ id: 'circles-fill', type: 'fill', source: 'circles', paint: { 'fill-color': '#1677ff', 'fill-opacity': 0.06 } });
      m.addLayer({ id: 'circles-line', type: 'line', source: 'circles', paint: { 'line-color': '#1677ff', 'line-width': 0.8, 'line-opacity': 0.5 } });
      m.addLayer({ id: 'whatif-fill', type: 'fill', source: 'whatif-circles', paint: { 'fill-color': '#722ed1', 'fill-opacity': 0.15 } });
      m.addLayer({ id: 'whatif-line', type: 'line', source: 'whatif-circles', paint: { 'line-color': '#722ed1', 'line-width': 2 } });
      m.addLayer({ id: 'facilities', type: 'circle', source: 'facilities', paint: { 'circle-radius': 4, 'circle-color': '#1677ff', 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
      m.addLayer({ id: 'sites', type: 'circle', source: 'sites', paint: { 'circle-radius': 7, 'circle-color': '#fa8c16', 'circle-stroke-color': '#fff', 'circle-stroke-width': 2 } });
      setMap(m);
      latest.current.onState('ready');
    });
    return () => {
      setMap(null);
      m.remove();
    };
  }, [basemapTileUrl]);

  useEffect(() => {
    if (!map || !cells) return;
    map.getSource<GeoJSONSource>('cells')?.setData(cells as never);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const f of cells.features) {
      const g = f.geometry as { type: string; coordinates: number[][][] | number[][][][] };
      const rings = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
      for (const p of rings) for (const r of p) for (const [x, y] of r) {
        minX = Math.min(minX, x!); maxX = Math.max(maxX, x!); minY = Math.min(minY, y!); maxY = Math.max(maxY, y!);
      }
    }
    if (Number.isFinite(minX)) map.fitBounds([minX, minY, maxX, maxY], { padding: 24, duration: 0 });
  }, [map, cells]);

  useEffect(() => {
    if (!map) return;
    map.getSource<GeoJSONSource>('facilities')?.setData(points(facilities) as never);
    map.getSource<GeoJSONSource>('circles')?.setData({ type: 'FeatureCollection', features: facilities.map((f) => circle(f.lon, f.lat, reachM)) } as never);
  }, [map, facilities, reachM]);

  useEffect(() => {
    map?.getSource<GeoJSONSource>('sites')?.setData(points(sites) as never);
  }, [map, sites]);

  // what-if sites: draggable markers; their circles follow
  useEffect(() => {
    if (!map) return;
    map.getSource<GeoJSONSource>('whatif-circles')?.setData({ type: 'FeatureCollection', features: whatIf.map((w) => circle(w.lon, w.lat, reachM)) } as never);
    while (markers.current.length > whatIf.length) markers.current.pop()!.remove();
    whatIf.forEach((w, i) => {
      let marker = markers.current[i];
      if (!marker) {
        marker = new Marker({ draggable: true, color: '#722ed1' }).setLngLat([w.lon, w.lat]).addTo(map);
        marker.getElement().dataset.testid = `whatif-marker-${i}`;
        marker.on('drag', () => {
          const at = marker!.getLngLat();
          latest.current.onDragWhatIf(i, at.lng, at.lat);
        });
        markers.current[i] = marker;
      } else if (!marker.isDraggable() || marker.getLngLat().lng !== w.lon || marker.getLngLat().lat !== w.lat) {
        marker.setLngLat([w.lon, w.lat]);
      }
    });
  }, [map, whatIf, reachM]);

  return <div ref={ref} className="ms-map-canvas" style={{ height: 520 }} data-testid="coverage-map" />;
}
