/**
 * Point → grid cell lookup benchmark (the hot path behind "which grid cell is this address in").
 *
 * Generates a demo district of ~30 km² split into 5,040 grid cells (8 subdistricts × 10
 * communities × 63 cells), 1,000,000 seeded random points over its bounding box, and times
 * `AreaPointIndex.locate` over all of them (one warm-up pass, best of 3 timed passes). Agreement
 * with a brute-force scan (`pointInGeometry` over every cell, first match) is checked on a
 * 20,000-point sample.
 *
 * Run alone: node --import tsx bench/spatial.ts
 */
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createRng, generateDemoGeometry } from '../src/domain/areas/core/demo-geometry';
import { areaSquareMeters, bboxOf, pointInGeometry } from '../src/domain/areas/core/geometry';
import { AreaPointIndex } from '../src/domain/areas/core/spatial-index';

export type SpatialBenchResult = {
  cells: number;
  points: number;
  /** best of 3 builds after a first one; `firstBuildMs` is the cold one (includes JIT warm-up) */
  buildMs: number;
  firstBuildMs: number;
  lookupsPerSecond: number;
  bruteForceAgreement: number;
  districtKm2: number;
  generateMs: number;
  /** share of the random points inside some cell (the rest fall in the bbox outside the district) */
  hitRate: number;
  bucketStats: AreaPointIndex<number>['stats'];
};

const POINTS = 1_000_000;
const AGREEMENT_SAMPLE = 20_000;

export async function benchSpatial(): Promise<SpatialBenchResult> {
  const spec = {
    seed: 'bench-spatial',
    center: [120.36, 36.068] as [number, number],
    radiusKm: 5.2,
    subdistricts: Array.from({ length: 8 }, (_, i) => ({
      code: `SD${i + 1}`,
      communities: Array.from({ length: 10 }, (_, j) => ({ code: `SD${i + 1}-C${j + 1}` })),
    })),
    gridCellsPerCommunity: 63,
  };
  let t0 = performance.now();
  const demo = generateDemoGeometry(spec);
  const generateMs = performance.now() - t0;
  const items = demo.gridCells.map((cell, i) => ({ value: i, geometry: cell.geometry }));

  // Build: the cold first build, then best of 3.
  t0 = performance.now();
  let index = AreaPointIndex.build(items);
  const firstBuildMs = performance.now() - t0;
  let buildMs = Infinity;
  for (let r = 0; r < 3; r++) {
    t0 = performance.now();
    index = AreaPointIndex.build(items);
    buildMs = Math.min(buildMs, performance.now() - t0);
  }

  const [minX, minY, maxX, maxY] = bboxOf(demo.district);
  const rng = createRng('bench-spatial-points');
  const xs = new Float64Array(POINTS);
  const ys = new Float64Array(POINTS);
  for (let i = 0; i < POINTS; i++) {
    xs[i] = minX + rng() * (maxX - minX);
    ys[i] = minY + rng() * (maxY - minY);
  }

  const pass = (): { ms: number; hits: number; checksum: number } => {
    let hits = 0;
    let checksum = 0;
    const start = performance.now();
    for (let i = 0; i < POINTS; i++) {
      const v = index.locate(xs[i]!, ys[i]!);
      if (v !== undefined) {
        hits++;
        checksum += v;
      }
    }
    return { ms: performance.now() - start, hits, checksum };
  };
  const warm = pass();
  let bestMs = Infinity;
  for (let r = 0; r < 3; r++) {
    const p = pass();
    if (p.checksum !== warm.checksum) throw new Error('locate is not deterministic');
    bestMs = Math.min(bestMs, p.ms);
  }

  // Brute force: every cell in order, first match (boxes only skip cells that cannot match).
  const boxes = items.map((it) => bboxOf(it.geometry));
  let agree = 0;
  for (let i = 0; i < AGREEMENT_SAMPLE; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    let expected: number | undefined;
    for (let k = 0; k < items.length; k++) {
      const b = boxes[k]!;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
      if (pointInGeometry(x, y, items[k]!.geometry)) {
        expected = k;
        break;
      }
    }
    if (index.locate(x, y) === expected) agree++;
  }

  return {
    cells: items.length,
    points: POINTS,
    buildMs: round(buildMs),
    firstBuildMs: round(firstBuildMs),
    lookupsPerSecond: Math.round((POINTS / bestMs) * 1000),
    bruteForceAgreement: agree / AGREEMENT_SAMPLE,
    districtKm2: round(areaSquareMeters(demo.district) / 1e6),
    generateMs: round(generateMs),
    hitRate: round(warm.hits / POINTS, 4),
    bucketStats: index.stats,
  };
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchSpatial();
  console.log(JSON.stringify({ ...result, node: process.version, cpu: cpus()[0]?.model }, null, 2));
}
