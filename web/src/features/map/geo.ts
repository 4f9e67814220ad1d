import type { Feature, FeatureCollection, Geometry, Polygon, Position } from 'geojson';
import type { AreaFeatureProperties } from '../../shared/types';

export type AreaFeature = Feature<Geometry, AreaFeatureProperties>;
export type AreaCollection = FeatureCollection<Geometry, AreaFeatureProperties>;

export const MAP_LEVELS = ['subdistrict', 'community', 'grid_cell'] as const;
export type MapLevel = (typeof MAP_LEVELS)[number];

/** [west, south, east, north] */
export type BBox = [number, number, number, number];

function eachPosition(geometry: Geometry, visit: (p: Position) => void): void {
  switch (geometry.type) {
    case 'Point':
      visit(geometry.coordinates);
      break;
    case 'MultiPoint':
    case 'LineString':
      geometry.coordinates.forEach(visit);
      break;
    case 'MultiLineString':
    case 'Polygon':
      geometry.coordinates.forEach((line) => line.forEach(visit));
      break;
    case 'MultiPolygon':
      geometry.coordinates.forEach((poly) => poly.forEach((ring) => ring.forEach(visit)));
      break;
    case 'GeometryCollection':
      geometry.geometries.forEach((g) => eachPosition(g, visit));
      break;
  }
}

export function bboxOf(features: readonly AreaFeature[]): BBox | null {
  let box: BBox | null = null;
  for (const f of features) {
    if (!f.geometry) continue;
    eachPosition(f.geometry, ([x, y]) => {
      if (x === undefined || y === undefined) return;
      if (!box) box = [x, y, x, y];
      else box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
    });
  }
  return box;
}

/** Signed area and centroid of a ring (shoelace). */
function ringCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0 = 0, y0 = 0] = ring[j] ?? [];
    const [x1 = 0, y1 = 0] = ring[i] ?? [];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  a /= 2;
  return a === 0 ? { area: 0, x: NaN, y: NaN } : { area: Math.abs(a), x: cx / (6 * a), y: cy / (6 * a) };
}

/** Where to put a feature's label: the centroid of its largest polygon, else its bbox centre. */
export function labelPoint(feature: AreaFeature): [number, number] | null {
  const g = feature.geometry;
  if (!g) return null;
  const polygons: Polygon['coordinates'][] =
    g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  let best: { area: number; x: number; y: number } | null = null;
  for (const poly of polygons) {
    const outer = poly[0];
    if (!outer) continue;
    const c = ringCentroid(outer);
    if (Number.isFinite(c.x) && (!best || c.area > best.area)) best = c;
  }
  if (best) return [best.x, best.y];
  const box = bboxOf([feature]);
  return box ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : null;
}

export function emptyCollection(): AreaCollection {
  return { type: 'FeatureCollection', features: [] };
}
