import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AreaGeometry, Position } from './geometry';
import {
  GEOMETRY_PROBLEM_CODES,
  findSiblingOverlaps,
  siblingOverlapProblem,
  validateAreaGeometry,
  type GeometryProblemCode,
} from './validate';

function rect(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}
function polygon(...rings: Position[][]): AreaGeometry {
  return { type: 'Polygon', coordinates: rings };
}

/** The one check most tests need: which problem codes does this input produce? */
function codes(input: unknown): GeometryProblemCode[] {
  const r = validateAreaGeometry(input);
  return r.ok ? [] : r.problems.map((p) => p.code);
}

/** A star-shaped (hence simple) ring of n points around [lon, lat]. */
function starRing(n: number, jagged = true, lon = 120.36, lat = 36.06, radius = 0.01): Position[] {
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    const r = radius * (jagged && i % 2 === 1 ? 0.7 : 1);
    ring.push([lon + r * Math.cos(t), lat + r * Math.sin(t)]);
  }
  ring.push([...ring[0]!]);
  return ring;
}

describe('validateAreaGeometry: accepted shapes', () => {
  it('accepts a polygon, a polygon with a hole touching its boundary at a point, and a multipolygon', () => {
    expect(codes(polygon(rect(120, 36, 120.1, 36.1)))).toEqual([]);
    const hole: Position[] = [[120, 36.05], [120.05, 36.03], [120.05, 36.07], [120, 36.05]];
    expect(codes(polygon(rect(120, 36, 120.1, 36.1), hole))).toEqual([]);
    expect(codes({ type: 'MultiPolygon', coordinates: [[rect(0, 0, 1, 1)], [rect(1, 1, 2, 2)]] })).toEqual([]);
  });

  it('returns a clean copy: extra dimensions dropped, foreign members ignored', () => {
    const r = validateAreaGeometry({
      type: 'Polygon',
      coordinates: [[[0, 0, 5], [1, 0, 5], [1, 1, 5], [0, 0, 5]]],
      properties: { name: 'x' },
    });
    expect(r).toEqual({ ok: true, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } });
  });

  it('accepts a 2,000-point ring and rejects one with a single crossing in it', () => {
    expect(codes(polygon(starRing(2000)))).toEqual([]);
    const broken = starRing(2000, false);
    // On a convex ring, swapping points 700 and 702 makes edges 699–702 and 700–703 cross.
    [broken[700], broken[702]] = [broken[702]!, broken[700]!];
    const r = validateAreaGeometry(polygon(broken));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(new Set(r.problems.map((p) => p.code))).toEqual(new Set(['self_intersection']));
    expect(r.problems[0]!.at?.position?.[0]).toBeCloseTo(broken[701]![0], 3);
  });
});

describe('validateAreaGeometry: problems a clerk can act on', () => {
  const cases: [string, unknown, GeometryProblemCode][] = [
    ['not an object', 'POLYGON((0 0, 1 0, 1 1, 0 0))', 'invalid_type'],
    ['a Feature instead of its geometry', { type: 'Feature', geometry: polygon(rect(0, 0, 1, 1)) }, 'invalid_type'],
    ['a LineString', { type: 'LineString', coordinates: [[0, 0], [1, 1]] }, 'invalid_type'],
    ['no coordinates', { type: 'Polygon' }, 'invalid_type'],
    ['a ring that is not a list', { type: 'Polygon', coordinates: ['x'] }, 'invalid_type'],
    ['empty coordinates', { type: 'Polygon', coordinates: [] }, 'empty'],
    ['an empty polygon inside a multipolygon', { type: 'MultiPolygon', coordinates: [[]] }, 'empty'],
    ['a string coordinate', { type: 'Polygon', coordinates: [[[0, 0], ['1', 0], [1, 1], [0, 0]]] }, 'non_numeric_coordinate'],
    ['a null coordinate', { type: 'Polygon', coordinates: [[[0, 0], [1, null], [1, 1], [0, 0]]] }, 'non_numeric_coordinate'],
    ['a one-number position', { type: 'Polygon', coordinates: [[[0, 0], [1], [1, 1], [0, 0]]] }, 'non_numeric_coordinate'],
    ['swapped lat/lon', polygon([[36, 120], [36.1, 120], [36.1, 120.1], [36, 120]]), 'coordinate_out_of_range'],
    ['three points', polygon([[0, 0], [1, 0], [0, 0]]), 'too_few_points'],
    ['all points the same', polygon([[0, 0], [0, 0], [0, 0], [0, 0]]), 'too_few_points'],
    ['an open ring', polygon([[0, 0], [1, 0], [1, 1], [0, 1]]), 'ring_not_closed'],
    ['a bow tie', polygon([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]), 'self_intersection'],
    ['a ring that pinches at a vertex', polygon([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]), 'self_intersection'],
    ['a spike folding back', polygon([[0, 0], [2, 0], [2, 2], [2, 1], [0, 2], [0, 0]]), 'self_intersection'],
    ['a hole crossing the boundary', polygon(rect(0, 0, 4, 4), rect(3, 1, 5, 2)), 'self_intersection'],
    ['two overlapping parts', { type: 'MultiPolygon', coordinates: [[rect(0, 0, 2, 2)], [rect(1, 1, 3, 3)]] }, 'self_intersection'],
  ];
  for (const [name, input, code] of cases) {
    it(`${name} → ${code}`, () => {
      const r = validateAreaGeometry(input);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.problems.map((p) => p.code)).toContain(code);
      for (const p of r.problems) {
        expect(p.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(p.en.length).toBeGreaterThan(10);
      }
    });
  }

  it('says where the problem is, in both languages', () => {
    const r = validateAreaGeometry({
      type: 'MultiPolygon',
      coordinates: [[rect(0, 0, 1, 1)], [rect(2, 2, 3, 3), [[2.2, 2.2], [2.4, 2.2], [2.4, 2.4], [2.2, 2.4]]]],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    const [p] = r.problems;
    expect(p).toMatchObject({ code: 'ring_not_closed', at: { polygon: 1, ring: 1, position: [2.2, 2.4] } });
    expect(p!.zh).toContain('第 2 个多边形的第 1 个内洞');
    expect(p!.en).toMatch(/hole 1 of polygon 2/i);
  });

  it('hints that latitude and longitude may be swapped', () => {
    const r = validateAreaGeometry(polygon([[36, 120], [36.1, 120], [36.1, 120.1], [36, 120]]));
    expect(!r.ok && r.problems[0]!.zh).toContain('写反');
  });

  it('caps the number of problems on a badly broken file', () => {
    const ring = Array.from({ length: 10_000 }, () => ['x', 'y']);
    const r = validateAreaGeometry({ type: 'Polygon', coordinates: [ring] });
    expect(!r.ok && r.problems.length).toBeLessThanOrEqual(50);
  });
});

describe('validateAreaGeometry never throws', () => {
  it('on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = validateAreaGeometry(v);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('on anything, including odd JavaScript values', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true }), (v) => {
        validateAreaGeometry(v);
      }),
      { numRuns: 300 },
    );
  });

  it('on geometry-shaped JSON with bad leaves', () => {
    const leaf = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null), fc.boolean());
    const position = fc.oneof(fc.array(leaf, { maxLength: 4 }), leaf);
    const ring = fc.oneof(fc.array(position, { maxLength: 8 }), leaf);
    const poly = fc.oneof(fc.array(ring, { maxLength: 3 }), leaf);
    const arb = fc.record({
      type: fc.constantFrom('Polygon', 'MultiPolygon', 'Point'),
      coordinates: fc.oneof(poly, fc.array(poly, { maxLength: 3 })),
    });
    fc.assert(
      fc.property(arb, (v) => {
        const r = validateAreaGeometry(v);
        if (r.ok) expect(['Polygon', 'MultiPolygon']).toContain(r.geometry.type);
        else expect(r.problems.length).toBeGreaterThan(0);
        for (const p of r.ok ? [] : r.problems) expect(GEOMETRY_PROBLEM_CODES).toContain(p.code);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('self-intersection agrees with a naive oracle', () => {
  /** Any two non-neighbouring edges properly crossing (points in general position). */
  function naiveCrosses(ring: Position[]): boolean {
    const n = ring.length - 1;
    const o = (a: Position, b: Position, c: Position) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
    for (let i = 0; i < n; i++) {
      for (let j = i + 2; j < n; j++) {
        if (i === 0 && j === n - 1) continue;
        const [a, b, c, d] = [ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!];
        if (o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0) return true;
      }
    }
    return false;
  }

  it('on random rings', () => {
    const pt = fc.tuple(fc.double({ min: 120, max: 120.1, noNaN: true }), fc.double({ min: 36, max: 36.1, noNaN: true }));
    fc.assert(
      fc.property(fc.uniqueArray(pt, { minLength: 3, maxLength: 12, selector: (p) => `${p[0]},${p[1]}` }), (points) => {
        const ring: Position[] = [...points, points[0]!];
        expect(validateAreaGeometry(polygon(ring)).ok).toBe(!naiveCrosses(ring));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('findSiblingOverlaps', () => {
  const item = (key: string, g: AreaGeometry) => ({ key, geometry: g });

  it('allows shared borders and corners', () => {
    const items = [
      item('a', polygon(rect(120, 36, 120.01, 36.01))),
      item('b', polygon(rect(120.01, 36, 120.02, 36.01))),
      item('c', polygon(rect(120.02, 36.01, 120.03, 36.02))),
    ];
    expect(findSiblingOverlaps(items)).toEqual([]);
  });

  it('ignores shapes whose boxes overlap but whose areas do not', () => {
    const l1 = polygon([[0, 0], [0.01, 0], [0.01, 0.002], [0.002, 0.002], [0.002, 0.01], [0, 0.01], [0, 0]]);
    const inner = polygon(rect(0.004, 0.004, 0.009, 0.009));
    expect(findSiblingOverlaps([item('l', l1), item('sq', inner)])).toEqual([]);
  });

  it('reports real overlaps with their area, and ignores slivers under the tolerance', () => {
    const a = polygon(rect(120, 36, 120.01, 36.01));
    const b = polygon(rect(120.005, 36, 120.015, 36.01));
    const [o, ...rest] = findSiblingOverlaps([item('a', a), item('b', b)]);
    expect(rest).toEqual([]);
    expect(o).toMatchObject({ a: 'a', b: 'b' });
    // half of a ~0.9 km × 1.1 km square
    expect(o!.areaM2).toBeGreaterThan(480_000);
    expect(o!.areaM2).toBeLessThan(520_000);
    const sliver = polygon(rect(120.01 - 1e-9, 36, 120.02, 36.01));
    expect(findSiblingOverlaps([item('a', a), item('s', sliver)])).toEqual([]);
    expect(findSiblingOverlaps([item('a', a), item('s', sliver)], 0)).toHaveLength(1);
    const problem = siblingOverlapProblem(o!);
    expect(problem.code).toBe('overlaps_sibling');
    expect(problem.zh).toContain('重叠');
  });
});
