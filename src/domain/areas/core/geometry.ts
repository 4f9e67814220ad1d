/**
 * Area geometry: the GeoJSON subset minsheng stores for districts, subdistricts, communities
 * and grid cells, plus small pure helpers.
 *
 * Coordinates are [lon, lat] in WGS-84 degrees (convert GCJ-02 / BD-09 input with `crs.ts`
 * first). Rings follow GeoJSON: closed (first position repeated last), ring 0 is the outer
 * boundary, further rings are holes. Orientation is not relied upon anywhere.
 *
 * Point-in-polygon uses one half-open crossing rule everywhere (`pointInGeometry` and
 * `AreaPointIndex`): an edge is always evaluated from its lower endpoint, so two neighbours that
 * share an edge compute bit-identical crossings and a point on that edge belongs to exactly one
 * of them.
 */

import * as polygonClippingModule from 'polygon-clipping';
import type { MultiPolygon, Polygon } from 'polygon-clipping';

export type Position = [number, number];
export type PolygonGeometry = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPolygonGeometry = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;
/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

/** Mean Earth radius (IUGG), metres. Spherical area is within ~0.5% of the ellipsoid in China. */
export const EARTH_RADIUS_M = 6_371_008.8;

/** The polygons of a geometry as a list, whatever its type. */
export function polygonsOf(g: AreaGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

export function bboxOf(g: AreaGeometry): BBox {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const polygon of polygonsOf(g)) {
    for (const ring of polygon) {
      for (const [x, y] of ring) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  return [minX, minY, maxX, maxY];
}

export function bboxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

const RAD = Math.PI / 180;

/**
 * Spherical area of one ring, m² (always ≥ 0). Same formula as turf's `area`
 * (Chamberlain & Duquette, "Some algorithms for polygons on a sphere", 2007).
 */
export function ringAreaSquareMeters(ring: readonly Position[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p1 = ring[i]!;
    const p2 = ring[(i + 1) % n]!;
    const p3 = ring[(i + 2) % n]!;
    total += (p3[0] - p1[0]) * RAD * Math.sin(p2[1] * RAD);
  }
  return Math.abs((total * EARTH_RADIUS_M * EARTH_RADIUS_M) / 2);
}

/** Area in m²: outer rings minus holes, summed over polygons. */
export function areaSquareMeters(g: AreaGeometry): number {
  let total = 0;
  for (const polygon of polygonsOf(g)) {
    polygon.forEach((ring, i) => {
      const a = ringAreaSquareMeters(ring);
      total += i === 0 ? a : -a;
    });
  }
  return Math.max(0, total);
}

/** Signed planar (shoelace) area in coordinate units², positive for counter-clockwise rings. */
export function ringSignedArea(ring: readonly Position[]): number {
  let s = 0;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[j]!;
    const b = ring[i]!;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}

/**
 * Area-weighted centroid (planar in lon/lat, fine at district scale). It can lie outside a
 * concave shape — use `labelPointOf` to place a label or pin.
 */
export function centroidOf(g: AreaGeometry): Position {
  let sx = 0;
  let sy = 0;
  let sa = 0;
  for (const polygon of polygonsOf(g)) {
    polygon.forEach((ring, ringIndex) => {
      // Outer rings count positive, holes negative, whatever their orientation.
      const sign = ringIndex === 0 ? 1 : -1;
      const orient = ringSignedArea(ring) >= 0 ? 1 : -1;
      const n = ring.length;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const a = ring[j]!;
        const b = ring[i]!;
        const cross = (a[0] * b[1] - b[0] * a[1]) * orient * sign;
        sx += (a[0] + b[0]) * cross;
        sy += (a[1] + b[1]) * cross;
        sa += cross;
      }
    });
  }
  if (sa === 0 || !Number.isFinite(sa)) {
    const [x0, y0, x1, y1] = bboxOf(g);
    return [(x0 + x1) / 2, (y0 + y1) / 2];
  }
  return [sx / (3 * sa), sy / (3 * sa)];
}

/**
 * A point guaranteed to be inside the geometry (for labels and pins): the middle of the widest
 * horizontal span of the largest polygon, trying a few scan lines. Falls back to the centroid
 * only for degenerate (zero-area) input.
 */
export function labelPointOf(g: AreaGeometry): Position {
  let best: Position | undefined;
  let bestWidth = -1;
  let largest: Position[][] | undefined;
  let largestArea = -1;
  for (const polygon of polygonsOf(g)) {
    const outer = polygon[0];
    if (!outer) continue;
    const a = Math.abs(ringSignedArea(outer));
    if (a > largestArea) {
      largestArea = a;
      largest = polygon;
    }
  }
  if (!largest) return centroidOf(g);
  const [, minY, , maxY] = bboxOf({ type: 'Polygon', coordinates: largest });
  const fractions = [0.5, 0.382, 0.618, 0.25, 0.75, 0.125, 0.875, 0.4375, 0.5625];
  for (const f of fractions) {
    const y = minY + (maxY - minY) * f;
    const xs: number[] = [];
    for (const ring of largest) {
      const n = ring.length;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const crossing = edgeCrossingX(ring[j]!, ring[i]!, y);
        if (crossing !== undefined) xs.push(crossing);
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const width = xs[k + 1]! - xs[k]!;
      if (width > bestWidth) {
        const candidate: Position = [(xs[k]! + xs[k + 1]!) / 2, y];
        if (pointInGeometry(candidate[0], candidate[1], { type: 'Polygon', coordinates: largest })) {
          bestWidth = width;
          best = candidate;
        }
      }
    }
  }
  return best ?? centroidOf(g);
}

/** x where the edge a–b crosses the horizontal line y (half-open rule), or undefined. */
function edgeCrossingX(a: Position, b: Position, y: number): number | undefined {
  let x1: number, y1: number, x2: number, y2: number;
  if (a[1] < b[1]) {
    x1 = a[0]; y1 = a[1]; x2 = b[0]; y2 = b[1];
  } else {
    x1 = b[0]; y1 = b[1]; x2 = a[0]; y2 = a[1];
  }
  if (!(y >= y1 && y < y2)) return undefined;
  return x1 + ((x2 - x1) / (y2 - y1)) * (y - y1);
}

/**
 * Is the point inside the polygon made of these rings (even–odd over all rings, so holes are
 * excluded)? The arithmetic is kept identical to `AreaPointIndex` on purpose: both evaluate every
 * edge from its lower endpoint with a precomputed slope.
 */
export function pointInRings(x: number, y: number, rings: readonly (readonly Position[])[]): boolean {
  let inside = false;
  for (const ring of rings) {
    const n = ring.length;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const a = ring[j]!;
      const b = ring[i]!;
      let x1: number, y1: number, x2: number, y2: number;
      if (a[1] < b[1]) {
        x1 = a[0]; y1 = a[1]; x2 = b[0]; y2 = b[1];
      } else if (b[1] < a[1]) {
        x1 = b[0]; y1 = b[1]; x2 = a[0]; y2 = a[1];
      } else {
        continue; // horizontal edges never cross a horizontal ray
      }
      if (y >= y1 && y < y2) {
        const slope = (x2 - x1) / (y2 - y1);
        if (x < x1 + slope * (y - y1)) inside = !inside;
      }
    }
  }
  return inside;
}

export function pointInGeometry(lon: number, lat: number, g: AreaGeometry): boolean {
  for (const polygon of polygonsOf(g)) {
    if (pointInRings(lon, lat, polygon)) return true;
  }
  return false;
}

// ---- overlay operations (polygon-clipping) ---------------------------------------------------
// polygon-clipping ships CommonJS for Node and an ES module with only a default export for
// bundlers, while its type declarations promise named exports; read whichever shape arrives.

type PolygonClipping = Pick<typeof polygonClippingModule, 'intersection' | 'union' | 'difference'>;

const pc: PolygonClipping =
  (polygonClippingModule as unknown as { default?: PolygonClipping }).default ?? polygonClippingModule;

type Geom = Polygon | MultiPolygon;

function asGeom(g: AreaGeometry): Geom {
  return g.coordinates as Geom;
}

function fromMulti(m: MultiPolygon): MultiPolygonGeometry {
  return { type: 'MultiPolygon', coordinates: m as Position[][][] };
}

/** Intersection of two geometries as a (possibly empty) MultiPolygon. May throw on rare degenerate input. */
export function intersectGeometries(a: AreaGeometry, b: AreaGeometry): MultiPolygonGeometry {
  return fromMulti(pc.intersection(asGeom(a), asGeom(b)));
}

export function unionGeometries(first: AreaGeometry, ...rest: AreaGeometry[]): MultiPolygonGeometry {
  return fromMulti(pc.union(asGeom(first), ...rest.map(asGeom)));
}

export function differenceGeometries(a: AreaGeometry, ...rest: AreaGeometry[]): MultiPolygonGeometry {
  return fromMulti(pc.difference(asGeom(a), ...rest.map(asGeom)));
}

/** A MultiPolygon with one polygon becomes a Polygon; an empty one stays an empty MultiPolygon. */
export function simplifyGeometryType(g: MultiPolygonGeometry): AreaGeometry {
  const only = g.coordinates.length === 1 ? g.coordinates[0] : undefined;
  return only ? { type: 'Polygon', coordinates: only } : g;
}
