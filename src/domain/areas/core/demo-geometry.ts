/**
 * DEMO geometry — generated, not real boundaries. Used for the demo district, tests and
 * benchmarks only; real boundaries are imported from files and checked by `validate.ts`.
 *
 * The district is an elongated, irregular but simple outline (an ellipse whose radius is
 * perturbed by smooth seeded noise). It is split hierarchically: subdistricts are the Voronoi
 * cells of well-spread seed points clipped to the district, communities the same inside each
 * subdistrict, grid cells the same inside each community. Seeds are spread by Lloyd relaxation
 * on a stratified sample of the parent, so no cell is a sliver. Every child lies inside its
 * parent, siblings share borders without overlapping, and together they cover the parent. Borders
 * that coincide are made of the same vertices on both sides (`nodeRings`), so overlay operations
 * on the output (containment, overlap checks) do not trip over near-collinear edges.
 *
 * All work happens in a local kilometre plane around the centre (so Voronoi cells are not
 * stretched by the longitude scale) and is mapped to WGS-84 degrees at the end.
 * Same input (including the seed string) → byte-identical output. No Math.random, no clock.
 */
import { Delaunay } from 'd3-delaunay';
import Flatbush from 'flatbush';
import {
  bboxOf,
  intersectGeometries,
  pointInGeometry,
  polygonsOf,
  ringSignedArea,
  unionGeometries,
  type AreaGeometry,
  type Position,
} from './geometry';

export type DemoGeometryInput = {
  seed: string;
  /** [lon, lat] WGS-84 */
  center: Position;
  /** half the length of the district's long axis */
  radiusKm: number;
  subdistricts: { code: string; communities: { code: string }[] }[];
  gridCellsPerCommunity: number;
  /** short axis ÷ long axis of the outline; default 0.36 (a coastal strip like 市南区) */
  aspect?: number;
  /** direction of the long axis, degrees anticlockwise from east; default 8 */
  rotationDeg?: number;
};

export type DemoGeometry = {
  /** always true: these are generated shapes, never present them as real boundaries */
  demo: true;
  district: AreaGeometry;
  subdistricts: Map<string, AreaGeometry>;
  communities: Map<string, AreaGeometry>;
  gridCells: { communityCode: string; index: number; geometry: AreaGeometry }[];
};

export function generateDemoGeometry(input: DemoGeometryInput): DemoGeometry {
  const [lon0, lat0] = input.center;
  const kmPerDegLat = 110.574;
  const kmPerDegLon = 111.32 * Math.cos((lat0 * Math.PI) / 180);
  const toDegrees = (g: PlaneGeometry): AreaGeometry => {
    const ring = (r: Position[]): Position[] => r.map(([x, y]) => [lon0 + x / kmPerDegLon, lat0 + y / kmPerDegLat]);
    return g.length === 1
      ? { type: 'Polygon', coordinates: g[0]!.map(ring) }
      : { type: 'MultiPolygon', coordinates: g.map((p) => p.map(ring)) };
  };

  const districtKm: PlaneGeometry = [
    [outline(createRng(`${input.seed}|district`), input.radiusKm, input.aspect ?? 0.36, input.rotationDeg ?? 8)],
  ];

  // Everything is cut in the plane first and converted at the end, after noding (see `nodeRings`).
  const subdistrictsKm: PlaneGeometry[] = [];
  const communitiesKm: PlaneGeometry[] = [];
  const cellsKm: { communityCode: string; index: number; geometry: PlaneGeometry }[] = [];
  const subdistrictShapes = partition(districtKm, input.subdistricts.length, createRng(`${input.seed}|subdistricts`));
  input.subdistricts.forEach((sd, i) => {
    const sdKm = subdistrictShapes[i]!;
    subdistrictsKm.push(sdKm);
    const communityShapes = partition(sdKm, sd.communities.length, createRng(`${input.seed}|sd|${sd.code}`));
    sd.communities.forEach((c, j) => {
      const cKm = communityShapes[j]!;
      communitiesKm.push(cKm);
      const cells = partition(cKm, input.gridCellsPerCommunity, createRng(`${input.seed}|c|${c.code}`));
      cells.forEach((geometry, index) => cellsKm.push({ communityCode: c.code, index, geometry }));
    });
  });

  const node = nodeRings([districtKm, ...subdistrictsKm, ...communitiesKm, ...cellsKm.map((c) => c.geometry)]);
  const out = (g: PlaneGeometry) => toDegrees(node(g));

  const subdistricts = new Map<string, AreaGeometry>();
  const communities = new Map<string, AreaGeometry>();
  input.subdistricts.forEach((sd, i) => subdistricts.set(sd.code, out(subdistrictsKm[i]!)));
  input.subdistricts.flatMap((sd) => sd.communities).forEach((c, i) => communities.set(c.code, out(communitiesKm[i]!)));
  const gridCells: DemoGeometry['gridCells'] = cellsKm.map((c) => ({
    communityCode: c.communityCode,
    index: c.index,
    geometry: out(c.geometry),
  }));

  return { demo: true, district: out(districtKm), subdistricts, communities, gridCells };
}

// ---- seeded randomness ---------------------------------------------------------------------------

type Rng = () => number;

/** sfc32 seeded from a cyrb128 hash of the string: fast, well distributed, reproducible. */
export function createRng(seed: string): Rng {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0, b = (h2 ^ h1) >>> 0, c = (h3 ^ h1) >>> 0, d = (h4 ^ h1) >>> 0;
  const next = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

// ---- the district outline ------------------------------------------------------------------------

/** A polygon in the local plane (km), as polygon rings; a PlaneGeometry is a list of them. */
type PlanePolygon = Position[][];
type PlaneGeometry = PlanePolygon[];

/**
 * Star-shaped around the origin (the radius stays positive and the angle only increases), hence
 * simple. Closed, anticlockwise.
 */
function outline(rng: Rng, radiusKm: number, aspect: number, rotationDeg: number): Position[] {
  const harmonics = Array.from({ length: 6 }, (_, i) => ({
    m: i + 2,
    amplitude: (0.05 + 0.07 * rng()) / (i + 2),
    phase: rng() * 2 * Math.PI,
  }));
  const rot = (rotationDeg * Math.PI) / 180;
  const a = radiusKm;
  const b = radiusKm * aspect;
  const n = 192;
  const ring: Position[] = [];
  for (let k = 0; k < n; k++) {
    const t = (2 * Math.PI * k) / n;
    let r = 1;
    for (const h of harmonics) r += h.amplitude * Math.cos(h.m * t + h.phase);
    const x = a * r * Math.cos(t);
    const y = b * r * Math.sin(t);
    ring.push([x * Math.cos(rot) - y * Math.sin(rot), x * Math.sin(rot) + y * Math.cos(rot)]);
  }
  ring.push([ring[0]![0], ring[0]![1]]);
  return ring;
}

// ---- partition -----------------------------------------------------------------------------------

/**
 * Split any area into `k` non-empty, non-overlapping pieces that cover it, in reading order.
 * Works in the geometry's own coordinates as if they were planar (the demo generator calls it
 * in kilometres); exported for tests and for generating more demo data.
 */
export function partitionArea(parent: AreaGeometry, k: number, seed: string): AreaGeometry[] {
  return partition(polygonsOf(parent), k, createRng(seed)).map((g) =>
    g.length === 1 ? { type: 'Polygon', coordinates: g[0]! } : { type: 'MultiPolygon', coordinates: g },
  );
}

const SAMPLES_PER_SEED = 48;
const LLOYD_ITERATIONS = 10;

function planeArea(g: PlaneGeometry): number {
  let s = 0;
  for (const polygon of g) polygon.forEach((ring, i) => (s += (i === 0 ? 1 : -1) * Math.abs(ringSignedArea(ring))));
  return s;
}

function asArea(g: PlaneGeometry): AreaGeometry {
  return { type: 'MultiPolygon', coordinates: g };
}

/**
 * Split `parent` into `k` non-empty, non-overlapping pieces that cover it, in reading order
 * (north to south in bands, then west to east).
 */
function partition(parent: PlaneGeometry, k: number, rng: Rng): PlaneGeometry[] {
  if (k <= 0) return [];
  if (k === 1) return [parent];
  const parentArea = asArea(parent);
  const [minX, minY, maxX, maxY] = bboxOf(parentArea);
  const area = planeArea(parent);

  // Stratified (jittered grid) sample of the parent.
  const fill = Math.max(0.05, area / ((maxX - minX) * (maxY - minY)));
  const wanted = Math.max(256, k * SAMPLES_PER_SEED);
  const step = Math.sqrt(((maxX - minX) * (maxY - minY) * fill) / wanted);
  const samples: number[] = [];
  for (let y = maxY - step / 2; y > minY; y -= step) {
    for (let x = minX + step / 2; x < maxX; x += step) {
      const sx = x + (rng() - 0.5) * step;
      const sy = y + (rng() - 0.5) * step;
      if (pointInGeometry(sx, sy, parentArea)) samples.push(sx, sy);
    }
  }
  const sampleCount = samples.length / 2;
  if (sampleCount < k) throw new Error(`demo geometry: cannot place ${k} seeds in a piece this small`);

  // Initial seeds: k distinct samples chosen at random (partial Fisher–Yates).
  const order = Array.from({ length: sampleCount }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (sampleCount - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let seeds: Position[] = order.slice(0, k).map((s) => [samples[s * 2]!, samples[s * 2 + 1]!]);

  // Lloyd relaxation on the sample: move each seed to the mean of the samples nearest to it.
  for (let iter = 0; iter < LLOYD_ITERATIONS; iter++) {
    const delaunay = Delaunay.from(seeds);
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const count = new Int32Array(k);
    let hint = 0;
    for (let s = 0; s < sampleCount; s++) {
      hint = delaunay.find(samples[s * 2]!, samples[s * 2 + 1]!, hint);
      sx[hint]! += samples[s * 2]!;
      sy[hint]! += samples[s * 2 + 1]!;
      count[hint]!++;
    }
    seeds = seeds.map((old, i) => {
      if (count[i] === 0) return old;
      const mx = sx[i]! / count[i]!;
      const my = sy[i]! / count[i]!;
      // The mean of a concave region can fall outside the parent; then keep the old seed.
      return pointInGeometry(mx, my, parentArea) ? [mx, my] : old;
    });
  }
  seeds = distinct(seeds, samples, rng);

  // Reading order, so numbering runs north-west to south-east.
  const band = Math.sqrt(area / k);
  seeds.sort((p, q) => Math.floor((maxY - p[1]) / band) - Math.floor((maxY - q[1]) / band) || p[0] - q[0]);

  // Voronoi cells clipped to the parent.
  const pad = Math.max(maxX - minX, maxY - minY);
  const voronoi = Delaunay.from(seeds).voronoi([minX - pad, minY - pad, maxX + pad, maxY + pad]);
  const pieces: PlaneGeometry[] = seeds.map((_, i) => {
    const cell = voronoi.cellPolygon(i) as Position[] | null;
    if (!cell) throw new Error('demo geometry: empty Voronoi cell');
    const clipped = intersectGeometries({ type: 'Polygon', coordinates: [cell] }, parentArea).coordinates;
    if (clipped.length === 0) throw new Error('demo geometry: a seed fell outside its parent');
    return clipped;
  });
  mergeFragments(pieces);
  return pieces;
}

/** Replace exact duplicate seeds (possible only in degenerate input) by unused samples. */
function distinct(seeds: Position[], samples: number[], rng: Rng): Position[] {
  const seen = new Set<string>();
  return seeds.map((p) => {
    let q = p;
    while (seen.has(`${q[0]},${q[1]}`)) {
      const s = Math.floor(rng() * (samples.length / 2));
      q = [samples[s * 2]!, samples[s * 2 + 1]!];
    }
    seen.add(`${q[0]},${q[1]}`);
    return q;
  });
}

/**
 * A convex Voronoi cell clipped to a concave parent can fall apart into several pieces. Keep each
 * child's largest piece and hand every smaller fragment to a sibling it shares a border with (one
 * whose union with the fragment is a single polygon). A fragment with no such sibling stays, and
 * its child is a MultiPolygon.
 */
function mergeFragments(pieces: PlaneGeometry[]): void {
  for (let i = 0; i < pieces.length; i++) {
    const own = pieces[i]!;
    if (own.length < 2) continue;
    const sorted = [...own].sort((p, q) => planeArea([q]) - planeArea([p]));
    const keep: PlaneGeometry = [sorted[0]!];
    for (const fragment of sorted.slice(1)) {
      const fb = bboxOf(asArea([fragment]));
      let moved = false;
      for (let j = 0; j < pieces.length && !moved; j++) {
        if (j === i) continue;
        const other = pieces[j]!;
        const ob = bboxOf(asArea(other));
        const eps = 1e-9;
        if (fb[0] > ob[2] + eps || ob[0] > fb[2] + eps || fb[1] > ob[3] + eps || ob[1] > fb[3] + eps) continue;
        const merged = unionGeometries(asArea(other), asArea([fragment])).coordinates;
        if (merged.length === other.length) {
          pieces[j] = merged;
          moved = true;
        }
      }
      if (!moved) keep.push(fragment);
    }
    pieces[i] = keep;
  }
}

// ---- noding --------------------------------------------------------------------------------------

/**
 * Make coinciding borders share their vertices. Each piece is cut by its own clipping operation,
 * so where a child's border runs along its parent's (or a sibling's) border, the child's corner is
 * a computed intersection point that lies on the other shape's edge only up to rounding (a
 * T-junction), and the same corner computed for two siblings can differ in the last bit.
 * polygon-clipping cannot be trusted with such nearly-collinear, partly overlapping edges: the
 * difference of a grid cell and its community threw "Unable to complete output ring" for about one
 * random input in two hundred (mfogel/polygon-clipping#141, still open).
 *
 * So, over all shapes of all levels at once: vertices closer than `tolerance` × the size of the
 * first geometry (the district; about a micrometre) are merged into one, and every vertex that
 * lies on an edge of another ring within that distance is inserted into the edge. Shared borders
 * then consist of the very same vertices on both sides, which the clipper handles. Every vertex
 * moves by rounding error only, so no shape changes measurably.
 *
 * Returns a mapping from the given geometries to noded copies; the inputs are not changed, and a
 * ring shared by several geometries (a piece that is its whole parent) is noded once.
 */
function nodeRings(geometries: PlaneGeometry[], tolerance = 1e-10): (g: PlaneGeometry) => PlaneGeometry {
  const [minX, minY, maxX, maxY] = bboxOf(asArea(geometries[0]!));
  const eps = tolerance * Math.max(maxX - minX, maxY - minY);

  // Distinct vertices, numbered; each ring (by identity) as vertex numbers.
  const xs: number[] = [];
  const ys: number[] = [];
  const ids = new Map<string, number>();
  const ringIds = new Map<Position[], number[]>();
  for (const g of geometries) {
    for (const polygon of g) {
      for (const ring of polygon) {
        if (ringIds.has(ring)) continue;
        ringIds.set(
          ring,
          ring.map(([x, y]) => {
            const key = `${x},${y}`;
            let id = ids.get(key);
            if (id === undefined) {
              id = xs.length;
              ids.set(key, id);
              xs.push(x);
              ys.push(y);
            }
            return id;
          }),
        );
      }
    }
  }
  const index = new Flatbush(xs.length);
  for (let i = 0; i < xs.length; i++) index.add(xs[i]!, ys[i]!, xs[i]!, ys[i]!);
  index.finish();

  // Merge vertices closer than eps: each takes the lowest number in its cluster.
  const rep = Int32Array.from({ length: xs.length }, (_, i) => i);
  const find = (i: number): number => {
    while (rep[i] !== i) i = rep[i] = rep[rep[i]!]!;
    return i;
  };
  for (let i = 0; i < xs.length; i++) {
    for (const j of index.search(xs[i]! - eps, ys[i]! - eps, xs[i]! + eps, ys[i]! + eps)) {
      if (Math.hypot(xs[j]! - xs[i]!, ys[j]! - ys[i]!) > eps) continue;
      const a = find(i);
      const b = find(j);
      if (a !== b) rep[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const isRep = (i: number) => find(i) === i;

  const done = new Map<Position[], Position[]>();
  const nodeRing = (ring: Position[]): Position[] => {
    const cached = done.get(ring);
    if (cached) return cached;
    // the ring on merged vertices, without repeats
    const vs: number[] = [];
    for (const id of ringIds.get(ring)!) {
      const r = find(id);
      if (vs[vs.length - 1] !== r) vs.push(r);
    }
    const own = new Set(vs);
    const out: number[] = [];
    for (let e = 0; e + 1 < vs.length; e++) {
      const a = vs[e]!;
      const b = vs[e + 1]!;
      out.push(a);
      const [ax, ay, bx, by] = [xs[a]!, ys[a]!, xs[b]!, ys[b]!];
      const dx = bx - ax;
      const dy = by - ay;
      const len = Math.hypot(dx, dy);
      const hits: { t: number; v: number }[] = [];
      for (const v of index.search(Math.min(ax, bx) - eps, Math.min(ay, by) - eps, Math.max(ax, bx) + eps, Math.max(ay, by) + eps)) {
        if (!isRep(v) || own.has(v)) continue;
        const along = ((xs[v]! - ax) * dx + (ys[v]! - ay) * dy) / len;
        const across = ((xs[v]! - ax) * dy - (ys[v]! - ay) * dx) / len;
        // strictly inside the edge, not merely next to one of its ends
        if (along > eps && along < len - eps && Math.abs(across) <= eps) hits.push({ t: along, v });
      }
      hits.sort((p, q) => p.t - q.t);
      for (const h of hits) out.push(h.v);
    }
    out.push(vs[vs.length - 1]!);
    if (out.length < 4 || out[0] !== out[out.length - 1]) throw new Error('demo geometry: a ring collapsed while noding');
    const result = out.map((v): Position => [xs[v]!, ys[v]!]);
    done.set(ring, result);
    return result;
  };
  return (g) => g.map((polygon) => polygon.map(nodeRing));
}
