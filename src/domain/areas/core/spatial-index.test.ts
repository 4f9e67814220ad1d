import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Delaunay } from 'd3-delaunay';
import { pointInGeometry, type AreaGeometry, type Position } from './geometry';
import { AreaPointIndex } from './spatial-index';

type Item = { value: string; geometry: AreaGeometry };

/** The oracle: scan the items in order, first containing one wins. */
function bruteForce(items: readonly Item[], lon: number, lat: number): string | undefined {
  return items.find((it) => pointInGeometry(lon, lat, it.geometry))?.value;
}

function rect(x0: number, y0: number, x1: number, y1: number): Position[] {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}

const BOX = [120.3, 36.03, 120.45, 36.1] as const;

/**
 * Voronoi seeds live on an integer lattice of LATTICE[0] × LATTICE[1] steps over BOX (1e-4°,
 * about 10 m), and the diagram is computed in lattice units, then mapped to degrees.
 *
 * Why not Voronoi straight from random degree doubles: d3-delaunay uses absolute epsilons made for
 * pixel coordinates — a triangle with |2 × area| < 1e-9 is taken as flat and gets a made-up
 * circumcentre "at infinity", and all-collinear input is jittered by 1e-8 × its extent. In degrees
 * those fire on genuine triangles (an equilateral one 3 m across is already "flat"), and fast-check's
 * doubles, which cluster at the range ends, produce near-duplicate and nearly collinear seeds all
 * the time. About 4% of such diagrams were not partitions at all: cells overlapped and left gaps,
 * so a point on a cell's border could lie in no cell even for the brute-force scan.
 *
 * In lattice units every coordinate is a small integer, so Delaunator's orientation and in-circle
 * tests and d3's "flat triangle" test are exact (a non-flat triangle has |2 × area| ≥ 1) and the
 * result is a true partition: every inner edge occurs in exactly two cells with bit-identical
 * endpoints. Mapping back to degrees applies one monotone function to every vertex and sends the
 * lattice frame exactly onto BOX, so that stays true. Lattice seeds still give collinear rows,
 * seeds on the frame and cocircular quadruples (vertices shared by four cells).
 */
const LATTICE = [1500, 700] as const;

function latticeToDegrees([x, y]: Position): Position {
  const lon = x <= 0 ? BOX[0] : x >= LATTICE[0] ? BOX[2] : Math.min(BOX[2], BOX[0] + x * ((BOX[2] - BOX[0]) / LATTICE[0]));
  const lat = y <= 0 ? BOX[1] : y >= LATTICE[1] ? BOX[3] : Math.min(BOX[3], BOX[1] + y * ((BOX[3] - BOX[1]) / LATTICE[1]));
  return [lon, lat];
}

/**
 * Items from a Voronoi partition of BOX around `seeds` (lattice points, see LATTICE): cells grouped
 * into MultiPolygon items by `groups`, optionally preceded by an overlapping item with a hole (to
 * exercise order).
 */
function voronoiItems(seeds: Position[], groups: number, withHoledItem: boolean): Item[] {
  const voronoi = Delaunay.from(seeds).voronoi([0, 0, LATTICE[0], LATTICE[1]]);
  const byGroup = new Map<number, Position[][][]>();
  seeds.forEach((_, i) => {
    const cell = voronoi.cellPolygon(i) as Position[] | null;
    if (!cell) return; // duplicate seed
    const g = i % groups;
    byGroup.set(g, [...(byGroup.get(g) ?? []), [cell.map(latticeToDegrees)]]);
  });
  const items: Item[] = [...byGroup].map(([g, polygons]) => ({
    value: `g${g}`,
    geometry: polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons },
  }));
  if (withHoledItem) {
    items.unshift({
      value: 'holed',
      geometry: { type: 'Polygon', coordinates: [rect(120.33, 36.04, 120.4, 36.08), rect(120.35, 36.05, 120.38, 36.07)] },
    });
  }
  return items;
}

const seedArb = fc.uniqueArray(
  fc.tuple(fc.integer({ min: 0, max: LATTICE[0] }), fc.integer({ min: 0, max: LATTICE[1] })),
  { minLength: 3, maxLength: 120, selector: (p) => `${p[0]},${p[1]}` },
);

describe('AreaPointIndex', () => {
  it('handles holes, islands and points outside', () => {
    const items: Item[] = [
      { value: 'ring', geometry: { type: 'Polygon', coordinates: [rect(0, 0, 10, 10), rect(3, 3, 7, 7)] } },
      { value: 'islands', geometry: { type: 'MultiPolygon', coordinates: [[rect(4, 4, 6, 6)], [rect(20, 20, 21, 21)]] } },
    ];
    const index = AreaPointIndex.build(items);
    expect(index.size).toBe(2);
    expect(index.locate(1, 1)).toBe('ring');
    expect(index.locate(3.5, 3.5)).toBeUndefined(); // in the hole, outside the island
    expect(index.locate(5, 5)).toBe('islands');
    expect(index.locate(20.5, 20.5)).toBe('islands');
    expect(index.locate(15, 15)).toBeUndefined();
    expect(index.locate(-1, 5)).toBeUndefined();
    expect(index.locate(Number.NaN, 5)).toBeUndefined();
    expect(index.locate(5, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it('an empty index answers undefined', () => {
    const index = AreaPointIndex.build<string>([]);
    expect(index.size).toBe(0);
    expect(index.locate(120, 36)).toBeUndefined();
  });

  it('gives overlapping items to the first one, like a scan in order', () => {
    const items: Item[] = [
      { value: 'small', geometry: { type: 'Polygon', coordinates: [rect(2, 2, 3, 3)] } },
      { value: 'big', geometry: { type: 'Polygon', coordinates: [rect(0, 0, 10, 10)] } },
    ];
    const index = AreaPointIndex.build(items);
    expect(index.locate(2.5, 2.5)).toBe('small');
    expect(index.locate(8, 8)).toBe('big');
  });

  it('answers most points of a fine partition from the bucket alone', () => {
    const seeds: Position[] = [];
    for (let i = 0; i < 400; i++) seeds.push([Math.round(((i * 0.618034) % 1) * LATTICE[0]), Math.round(((i * 0.7548777) % 1) * LATTICE[1])]);
    const stats = AreaPointIndex.build(voronoiItems(seeds, 400, false)).stats;
    expect(stats.polygons).toBe(400);
    expect(stats.ownedBuckets).toBeGreaterThan(stats.buckets * 0.25);
    expect(stats.meanCandidatesPerMixedBucket).toBeLessThan(4);
  });

  it('the test partitions are partitions: every inner edge belongs to exactly two cells', () => {
    fc.assert(
      fc.property(seedArb, (seeds) => {
        const uses = new Map<string, number>();
        for (const item of voronoiItems(seeds, seeds.length, false)) {
          const ring = (item.geometry as { coordinates: Position[][] }).coordinates[0]!;
          for (let i = 0; i + 1 < ring.length; i++) {
            const [a, b] = [ring[i]!, ring[i + 1]!].sort((p, q) => p[1] - q[1] || p[0] - q[0]) as [Position, Position];
            const onFrame =
              (a[0] === b[0] && (a[0] === BOX[0] || a[0] === BOX[2])) || (a[1] === b[1] && (a[1] === BOX[1] || a[1] === BOX[3]));
            if (!onFrame) uses.set(`${a} → ${b}`, (uses.get(`${a} → ${b}`) ?? 0) + 1);
          }
        }
        for (const [edge, n] of uses) expect(n, edge).toBe(2);
      }),
      { numRuns: 100 },
    );
  });

  it('agrees with the brute-force scan on random points over random Voronoi partitions', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        fc.constantFrom(1, 4, 16, 64),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 200, maxLength: 200 }),
        (seeds, groups, holed, bucketsPerPolygon, unitPoints) => {
          const items = voronoiItems(seeds, groups, holed);
          const index = AreaPointIndex.build(items, { bucketsPerPolygon });
          for (const [u, v] of unitPoints) {
            // a little beyond the box on every side, to cover "outside" too
            const lon = BOX[0] - 0.01 + u * (BOX[2] - BOX[0] + 0.02);
            const lat = BOX[1] - 0.01 + v * (BOX[3] - BOX[1] + 0.02);
            expect(index.locate(lon, lat)).toBe(bruteForce(items, lon, lat));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never loses a point on a shared border or vertex inside the partition', () => {
    fc.assert(
      fc.property(seedArb, fc.double({ min: 0, max: 1, noNaN: true }), (seeds, t) => {
        const items = voronoiItems(seeds, seeds.length, false);
        const index = AreaPointIndex.build(items);
        for (const item of items) {
          const ring = (item.geometry as { coordinates: Position[][] }).coordinates[0]!;
          for (let i = 0; i + 1 < ring.length; i++) {
            const [a, b] = [ring[i]!, ring[i + 1]!];
            for (const [lon, lat] of [a, [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]] as Position[]) {
              const expected = bruteForce(items, lon, lat);
              expect(index.locate(lon, lat)).toBe(expected);
              // Only the outer frame of the partition may answer "nowhere".
              const onFrame = lon <= BOX[0] || lon >= BOX[2] || lat <= BOX[1] || lat >= BOX[3];
              if (!onFrame) expect(expected).toBeDefined();
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('agrees with the scan on large polygons with many edges (banded edge lists)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.3, max: 1, noNaN: true }), { minLength: 200, maxLength: 2000 }),
        fc.array(fc.tuple(fc.double({ min: -1.1, max: 1.1, noNaN: true }), fc.double({ min: -1.1, max: 1.1, noNaN: true })), { minLength: 300, maxLength: 300 }),
        (radii, points) => {
          const star: Position[] = radii.map((r, i) => {
            const a = (2 * Math.PI * i) / radii.length;
            return [r * Math.cos(a), r * Math.sin(a)];
          });
          star.push([...star[0]!]);
          const items: Item[] = [
            { value: 'star', geometry: { type: 'Polygon', coordinates: [star, rect(-0.1, -0.1, 0.1, 0.1)] } },
            { value: 'frame', geometry: { type: 'Polygon', coordinates: [rect(-1.05, -1.05, 1.05, 1.05)] } },
          ];
          const index = AreaPointIndex.build(items, { bucketsPerPolygon: 64 });
          for (const [x, y] of points) expect(index.locate(x, y)).toBe(bruteForce(items, x, y));
        },
      ),
      { numRuns: 40 },
    );
  });
});
