import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { geometryToWgs84, isCrs, pointFromWgs84, pointToWgs84 } from './crs';
import type { AreaGeometry } from './geometry';

/** Approximate ground distance in metres between two nearby [lon, lat] points. */
function metres(a: [number, number], b: [number, number]): number {
  const kx = 111_320 * Math.cos((a[1] * Math.PI) / 180);
  return Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * 110_574);
}

describe('crs', () => {
  it('wgs84 is the identity, bit for bit', () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -90, max: 90, noNaN: true }), (lon, lat) => {
        expect(pointToWgs84(lon, lat, 'wgs84')).toEqual([lon, lat]);
      }),
    );
  });

  it('converts published reference points', () => {
    // Reference values published with independent converters (same national algorithm).
    const wgs: [number, number] = [121.0917077, 30.6107779];
    expect(metres(pointToWgs84(121.09626935575027, 30.608604331756705, 'gcj02'), wgs)).toBeLessThan(1);
    expect(metres(pointToWgs84(121.10271732371203, 30.61484572185035, 'bd09'), wgs)).toBeLessThan(1);
    expect(metres(pointToWgs84(123, 45, 'gcj02'), [122.99395597, 44.99804071])).toBeLessThan(1);
  });

  it('moves Qingdao points by the expected hundreds of metres', () => {
    const shifted = pointFromWgs84(120.36, 36.068, 'gcj02');
    const d = metres(shifted, [120.36, 36.068]);
    expect(d).toBeGreaterThan(100);
    expect(d).toBeLessThan(1000);
    const baidu = pointFromWgs84(120.36, 36.068, 'bd09');
    expect(metres(baidu, shifted)).toBeGreaterThan(500);
  });

  it('round-trips wgs84 → gcj02 / bd09 → wgs84 within 1 m across China', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 74, max: 134, noNaN: true }),
        fc.double({ min: 18, max: 53, noNaN: true }),
        fc.constantFrom('gcj02' as const, 'bd09' as const),
        (lon, lat, crs) => {
          const there = pointFromWgs84(lon, lat, crs);
          const back = pointToWgs84(there[0], there[1], crs);
          expect(metres(back, [lon, lat])).toBeLessThan(1);
        },
      ),
    );
  });

  it('leaves points outside China and non-finite input alone', () => {
    expect(pointToWgs84(2.35, 48.85, 'gcj02')).toEqual([2.35, 48.85]);
    expect(pointToWgs84(Number.NaN, 36, 'gcj02')).toEqual([Number.NaN, 36]);
  });

  it('converts whole geometries without touching the input and keeps rings closed', () => {
    const g: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        [[[120.3, 36.0], [120.4, 36.0], [120.4, 36.1], [120.3, 36.0]]],
        [[[120.5, 36.0], [120.6, 36.0], [120.6, 36.1], [120.5, 36.0]]],
      ],
    };
    const copy = JSON.parse(JSON.stringify(g)) as AreaGeometry;
    const out = geometryToWgs84(g, 'gcj02');
    expect(g).toEqual(copy);
    expect(out.type).toBe('MultiPolygon');
    const rings = out.type === 'MultiPolygon' ? out.coordinates.map((p) => p[0]!) : [];
    for (const ring of rings) expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(metres(rings[0]![0]!, [120.3, 36.0])).toBeGreaterThan(100);
    expect(geometryToWgs84(g, 'wgs84')).toEqual(g);
  });

  it('recognises the supported names', () => {
    expect(isCrs('gcj02')).toBe(true);
    expect(isCrs('GCJ02')).toBe(false);
    expect(isCrs(undefined)).toBe(false);
  });
});
