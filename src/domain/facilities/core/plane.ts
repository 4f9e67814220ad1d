/**
 * A local metre plane around the district: an equirectangular projection centred on the
 * district (x east, y north, metres). At district scale (±15 km) its distance error is well under
 * 1 %: the east–west scale is exact on the centre parallel and off by |Δφ|·tan φ₀ elsewhere —
 * 0.1 % at 0.1° (11 km) from the centre at Qingdao's 36° N — and north–south it is the sphere's
 * own scale. Distances are Euclidean in this plane; the sphere (R = 6 371 008.8 m) differs from
 * the WGS-84 ellipsoid by < 0.5 % in China, uniformly for every distance, which leaves every
 * covered/uncovered comparison at a fixed radius within that same tolerance.
 *
 * Pure: no clock, no randomness, no I/O.
 */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export interface Plane {
  readonly lon0: number;
  readonly lat0: number;
  toX(lon: number): number;
  toY(lat: number): number;
  toLon(x: number): number;
  toLat(y: number): number;
}

export function planeAround(lon0: number, lat0: number): Plane {
  const ky = EARTH_RADIUS_M * RAD;
  const kx = ky * Math.cos(lat0 * RAD);
  return {
    lon0,
    lat0,
    toX: (lon) => (lon - lon0) * kx,
    toY: (lat) => (lat - lat0) * ky,
    toLon: (x) => lon0 + x / kx,
    toLat: (y) => lat0 + y / ky,
  };
}

/** A plane centred on the middle of the given points' bounding box. */
export function planeFor(lons: ArrayLike<number>, lats: ArrayLike<number>): Plane {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < lons.length; i++) {
    const x = lons[i]!, y = lats[i]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!Number.isFinite(minX)) return planeAround(120.38, 36.07);
  return planeAround((minX + maxX) / 2, (minY + maxY) / 2);
}

/** Great-circle distance (haversine), metres; the reference the plane is checked against. */
export function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

// ---- polygons (GeoJSON rings, degrees) --------------------------------------------------------

export type Ring = readonly (readonly [number, number])[] | readonly number[][];
export type Polygonal =
  | { type: 'Polygon'; coordinates: readonly Ring[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly Ring[])[] };

function polygonsOf(g: Polygonal): (readonly Ring[])[] {
  return g.type === 'Polygon' ? [g.coordinates] : [...g.coordinates];
}

export function pointInRings(x: number, y: number, rings: readonly Ring[]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function pointInPolygonal(lon: number, lat: number, g: Polygonal): boolean {
  return polygonsOf(g).some((p) => pointInRings(lon, lat, p));
}

export function bboxOfPolygonal(g: Polygonal): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of polygonsOf(g)) for (const r of p) for (const c of r) {
    const x = c[0]!, y = c[1]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** Area in km² in the plane (outer rings minus holes). */
export function areaKm2(g: Polygonal, plane: Plane): number {
  let s = 0;
  for (const p of polygonsOf(g)) {
    p.forEach((ring, k) => {
      let a = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        a += plane.toX(ring[j]![0]!) * plane.toY(ring[i]![1]!) - plane.toX(ring[i]![0]!) * plane.toY(ring[j]![1]!);
      }
      s += (k === 0 ? 1 : -1) * Math.abs(a / 2);
    });
  }
  return s / 1e6;
}

/**
 * A point inside the shape (for per-grid counts): the bounding-box centre if it is inside,
 * otherwise the middle of the widest inside run on the horizontal line through the centre.
 */
export function interiorPoint(g: Polygonal): [number, number] {
  const [minX, minY, maxX, maxY] = bboxOfPolygonal(g);
  const cx = (minX + maxX) / 2;
  for (const frac of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]) {
    const y = minY + (maxY - minY) * frac;
    if (frac === 0.5 && pointInPolygonal(cx, y, g)) return [cx, y];
    const xs: number[] = [];
    for (const p of polygonsOf(g)) for (const ring of p) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!;
        if (yi > y !== yj > y) xs.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
      }
    }
    xs.sort((a, b) => a - b);
    let best: [number, number] | null = null;
    let width = 0;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      if (xs[i + 1]! - xs[i]! > width) {
        width = xs[i + 1]! - xs[i]!;
        best = [(xs[i]! + xs[i + 1]!) / 2, y];
      }
    }
    if (best) return best;
  }
  return [cx, (minY + maxY) / 2];
}
