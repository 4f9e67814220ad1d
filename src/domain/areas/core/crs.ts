/**
 * Coordinate reference systems seen in Chinese map data, and conversion to WGS-84 (the only
 * system minsheng stores).
 *
 * - `wgs84`: GPS, OpenStreetMap, Tianditu (天地图, CGCS2000 differs from WGS-84 by centimetres).
 * - `gcj02`: the "Mars" system required for published maps in China: AMap (高德), Tencent, Google
 *   China, most WeChat location pickers.
 * - `bd09`: Baidu Maps (百度地图), a further offset on top of GCJ-02.
 *
 * Conversion uses `gcoord`. GCJ-02 → WGS-84 is an iterative inverse accurate to about 0.1 m.
 * Points outside China's rough bounding box are returned unchanged (the offsets only apply
 * inside China).
 */
import gcoord from 'gcoord';
import type { AreaGeometry, Position } from './geometry';

export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_VALUES)[number];

export function isCrs(value: unknown): value is Crs {
  return typeof value === 'string' && (CRS_VALUES as readonly string[]).includes(value);
}

const GCOORD_NAME = {
  wgs84: gcoord.WGS84,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
} as const satisfies Record<Crs, unknown>;

/** Convert one point to WGS-84. Non-finite input is returned as it is (validate first). */
export function pointToWgs84(lon: number, lat: number, crs: Crs): Position {
  if (crs === 'wgs84' || !Number.isFinite(lon) || !Number.isFinite(lat)) return [lon, lat];
  const out = gcoord.transform<[number, number]>([lon, lat], GCOORD_NAME[crs], gcoord.WGS84);
  return [out[0], out[1]];
}

/** Convert one point from WGS-84 to the given system (for exporting to AMap / Baidu maps). */
export function pointFromWgs84(lon: number, lat: number, crs: Crs): Position {
  if (crs === 'wgs84' || !Number.isFinite(lon) || !Number.isFinite(lat)) return [lon, lat];
  const out = gcoord.transform<[number, number]>([lon, lat], gcoord.WGS84, GCOORD_NAME[crs]);
  return [out[0], out[1]];
}

/** A new geometry in WGS-84; the input is not modified. Closed rings stay closed. */
export function geometryToWgs84(g: AreaGeometry, crs: Crs): AreaGeometry {
  const convertRing = (ring: Position[]): Position[] => ring.map(([x, y]) => pointToWgs84(x, y, crs));
  if (g.type === 'Polygon') {
    return { type: 'Polygon', coordinates: g.coordinates.map(convertRing) };
  }
  return { type: 'MultiPolygon', coordinates: g.coordinates.map((polygon) => polygon.map(convertRing)) };
}
