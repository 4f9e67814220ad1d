import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  EARTH_RADIUS_M,
  areaSquareMeters,
  bboxOf,
  centroidOf,
  labelPointOf,
  pointInGeometry,
  type AreaGeometry,
  type Position,
} from './geometry';

function rect(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}
const square: AreaGeometry = { type: 'Polygon', coordinates: [rect(120, 36, 120.01, 36.01)] };
const squareWithHole: AreaGeometry = {
  type: 'Polygon',
  coordinates: [rect(0, 0, 10, 10), rect(4, 4, 6, 6).reverse()],
};
const twoIslands: AreaGeometry = {
  type: 'MultiPolygon',
  coordinates: [[rect(0, 0, 1, 1)], [rect(5, 5, 6, 6)]],
};
/** A "U": its centroid falls in the notch, outside the shape. */
const uShape: AreaGeometry = {
  type: 'Polygon',
  coordinates: [[[0, 0], [10, 0], [10, 10], [8, 10], [8, 2], [2, 2], [2, 10], [0, 10], [0, 0]]],
};

describe('bboxOf', () => {
  it('spans all polygons', () => {
    expect(bboxOf(twoIslands)).toEqual([0, 0, 6, 6]);
    expect(bboxOf(square)).toEqual([120, 36, 120.01, 36.01]);
  });
});

describe('areaSquareMeters', () => {
  it('matches the exact spherical area of a lon/lat rectangle', () => {
    const rad = Math.PI / 180;
    const exact = EARTH_RADIUS_M ** 2 * 0.01 * rad * (Math.sin(36.01 * rad) - Math.sin(36 * rad));
    expect(areaSquareMeters(square) / exact).toBeCloseTo(1, 6);
    expect(areaSquareMeters(square)).toBeGreaterThan(1.0e6);
  });

  it('subtracts holes and adds islands, whatever the ring orientation', () => {
    const outer = areaSquareMeters({ type: 'Polygon', coordinates: [rect(0, 0, 10, 10)] });
    const hole = areaSquareMeters({ type: 'Polygon', coordinates: [rect(4, 4, 6, 6)] });
    expect(areaSquareMeters(squareWithHole)).toBeCloseTo(outer - hole, -2);
    const reversed: AreaGeometry = { type: 'Polygon', coordinates: [rect(0, 0, 10, 10).reverse()] };
    expect(areaSquareMeters(reversed)).toBeCloseTo(outer, -2);
    const a = areaSquareMeters({ type: 'Polygon', coordinates: [rect(0, 0, 1, 1)] });
    const b = areaSquareMeters({ type: 'Polygon', coordinates: [rect(5, 5, 6, 6)] });
    expect(areaSquareMeters(twoIslands)).toBeCloseTo(a + b, -2);
  });
});

describe('centroidOf and labelPointOf', () => {
  it('centroid of a rectangle is its middle', () => {
    const [x, y] = centroidOf({ type: 'Polygon', coordinates: [rect(0, 0, 4, 2)] });
    expect(x).toBeCloseTo(2, 12);
    expect(y).toBeCloseTo(1, 12);
  });

  it('centroid ignores the hole symmetrically and can fall outside a U; the label point cannot', () => {
    const [hx, hy] = centroidOf(squareWithHole);
    expect(hx).toBeCloseTo(5, 12);
    expect(hy).toBeCloseTo(5, 12);
    expect(pointInGeometry(hx, hy, squareWithHole)).toBe(false);
    const [lx, ly] = labelPointOf(squareWithHole);
    expect(pointInGeometry(lx, ly, squareWithHole)).toBe(true);

    const [cx, cy] = centroidOf(uShape);
    expect(pointInGeometry(cx, cy, uShape)).toBe(false);
    const [ux, uy] = labelPointOf(uShape);
    expect(pointInGeometry(ux, uy, uShape)).toBe(true);
  });

  it('label point is inside random star-shaped polygons', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.2, max: 1, noNaN: true }), { minLength: 3, maxLength: 40 }), (radii) => {
        const ring: Position[] = radii.map((r, i) => {
          const t = (2 * Math.PI * i) / radii.length;
          return [120 + r * Math.cos(t) * 0.01, 36 + r * Math.sin(t) * 0.01];
        });
        ring.push([...ring[0]!]);
        const g: AreaGeometry = { type: 'Polygon', coordinates: [ring] };
        const [x, y] = labelPointOf(g);
        expect(pointInGeometry(x, y, g)).toBe(true);
      }),
    );
  });
});

describe('pointInGeometry', () => {
  it('excludes holes and includes every island', () => {
    expect(pointInGeometry(1, 1, squareWithHole)).toBe(true);
    expect(pointInGeometry(5, 5, squareWithHole)).toBe(false);
    expect(pointInGeometry(11, 5, squareWithHole)).toBe(false);
    expect(pointInGeometry(0.5, 0.5, twoIslands)).toBe(true);
    expect(pointInGeometry(5.5, 5.5, twoIslands)).toBe(true);
    expect(pointInGeometry(3, 3, twoIslands)).toBe(false);
    expect(pointInGeometry(5, 1, uShape)).toBe(true);
    expect(pointInGeometry(5, 5, uShape)).toBe(false);
  });

  it('rejects NaN', () => {
    expect(pointInGeometry(Number.NaN, 5, squareWithHole)).toBe(false);
  });

  it('a point on an edge shared by two neighbours belongs to exactly one of them', () => {
    // Two quadrilaterals sharing a slanted edge, listed with opposite orientations.
    const p: Position = [120.1, 36.0];
    const q: Position = [120.13, 36.07];
    const left: AreaGeometry = { type: 'Polygon', coordinates: [[[120.0, 36.0], p, q, [120.0, 36.07], [120.0, 36.0]]] };
    const right: AreaGeometry = { type: 'Polygon', coordinates: [[p, [120.2, 36.0], [120.2, 36.07], q, p]] };
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (t) => {
        const x = p[0] + (q[0] - p[0]) * t;
        const y = p[1] + (q[1] - p[1]) * t;
        if (y >= q[1]) return; // the top vertex row is outside both (half-open rule)
        const inLeft = pointInGeometry(x, y, left);
        const inRight = pointInGeometry(x, y, right);
        expect(Number(inLeft) + Number(inRight)).toBe(1);
      }),
    );
  });
});
