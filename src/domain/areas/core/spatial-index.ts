/**
 * Point → area lookup for the hot path (which grid cell is this ticket / resident / facility in).
 *
 * Layout, decided once at build time:
 *
 * - The items' bounding box is cut into a uniform grid of buckets (about 16 per polygon).
 * - A bucket that no polygon edge touches and whose centre lies in a polygon is wholly inside
 *   that polygon: it stores the owner, and a lookup there is one array read.
 * - Any other bucket stores a short list of candidate polygons (those with an edge through the
 *   bucket) and an optional fallback owner (the polygon covering the rest of the bucket).
 *   Candidates are tested with a crossing-number test over Float64Array edges; large polygons
 *   keep their edges in horizontal bands so a test reads only the edges near the point's
 *   latitude.
 *
 * Answers are exactly those of scanning the items in order with `pointInGeometry` and taking
 * the first that contains the point: the edge arithmetic is the same, candidate lists keep the
 * item order, and full buckets are only declared with a safety margin. A point on a border
 * shared by two items belongs to exactly one of them.
 */
import { polygonsOf, type AreaGeometry } from './geometry';

export type AreaPointIndexOptions = {
  /** Average number of buckets per polygon; more buckets → more O(1) answers, more memory. */
  bucketsPerPolygon?: number;
};

export type AreaPointIndexStats = {
  items: number;
  polygons: number;
  buckets: number;
  ownedBuckets: number;
  mixedBuckets: number;
  emptyBuckets: number;
  meanCandidatesPerMixedBucket: number;
};

const EMPTY = -1;
/** Polygons with at most this many non-horizontal edges keep them in a single band. */
const SINGLE_BAND_MAX_EDGES = 24;
const EDGES_PER_BAND = 8;
const MAX_BUCKETS = 1 << 22;

/** The polygons ("parts": a MultiPolygon item has several) and their banded edges. */
class PolygonSet {
  constructor(
    readonly partItem: Int32Array,
    /** minX, minY, maxX, maxY per part */
    readonly partBox: Float64Array,
    /** index of the part's first band in `bandStart` */
    readonly partBand0: Int32Array,
    readonly partBands: Int32Array,
    readonly partInvBandH: Float64Array,
    /** first edge of each band (counted in edges); each part's band list ends with one extra entry */
    readonly bandStart: Int32Array,
    /** y1, y2, x1, slope per edge, lower endpoint first */
    readonly edges: Float64Array,
  ) {}

  /** Crossing-number test; same arithmetic as `pointInRings` in geometry.ts. */
  contains(part: number, x: number, y: number): boolean {
    const box = this.partBox;
    const minY = box[part * 4 + 1]!;
    // Exact shortcuts: no edge has y1 <= y below the box, none has y < y2 at or above its top.
    if (y < minY || y >= box[part * 4 + 3]!) return false;
    const bands = this.partBands[part]!;
    let band = 0;
    if (bands > 1) {
      band = ((y - minY) * this.partInvBandH[part]!) | 0;
      if (band >= bands) band = bands - 1;
    }
    const slot = this.partBand0[part]! + band;
    const end = this.bandStart[slot + 1]! * 4;
    const e = this.edges;
    let inside = false;
    for (let i = this.bandStart[slot]! * 4; i < end; i += 4) {
      const y1 = e[i]!;
      if (y >= y1 && y < e[i + 1]! && x < e[i + 2]! + e[i + 3]! * (y - y1)) inside = !inside;
    }
    return inside;
  }
}

type IndexData<T> = {
  values: readonly T[];
  polygons: PolygonSet;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  nx: number;
  ny: number;
  invW: number;
  invH: number;
  /** ≥ 0: owner item; -1: nothing; ≤ -2: mixed bucket number (-2 - code). */
  grid: Int32Array;
  mixedStart: Int32Array;
  mixedParts: Int32Array;
  /** item answering a mixed bucket when no candidate contains the point, or -1 */
  mixedFallback: Int32Array;
};

export class AreaPointIndex<T> {
  private readonly values: readonly T[];
  private readonly polygons: PolygonSet;
  private readonly partItem: Int32Array;
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly invW: number;
  private readonly invH: number;
  private readonly grid: Int32Array;
  private readonly mixedStart: Int32Array;
  private readonly mixedParts: Int32Array;
  private readonly mixedFallback: Int32Array;

  private constructor(d: IndexData<T>) {
    this.values = d.values;
    this.polygons = d.polygons;
    this.partItem = d.polygons.partItem;
    this.minX = d.minX;
    this.minY = d.minY;
    this.maxX = d.maxX;
    this.maxY = d.maxY;
    this.nx = d.nx;
    this.ny = d.ny;
    this.invW = d.invW;
    this.invH = d.invH;
    this.grid = d.grid;
    this.mixedStart = d.mixedStart;
    this.mixedParts = d.mixedParts;
    this.mixedFallback = d.mixedFallback;
  }

  static build<T>(
    items: readonly { value: T; geometry: AreaGeometry }[],
    options: AreaPointIndexOptions = {},
  ): AreaPointIndex<T> {
    return new AreaPointIndex(buildIndexData(items, options));
  }

  /** Number of items the index was built from. */
  get size(): number {
    return this.values.length;
  }

  /** The first item (in build order) whose geometry contains the point, or undefined. */
  locate(lon: number, lat: number): T | undefined {
    // Also rejects NaN: every comparison with NaN is false.
    if (!(lon >= this.minX && lon <= this.maxX && lat >= this.minY && lat <= this.maxY)) return undefined;
    let cx = ((lon - this.minX) * this.invW) | 0;
    let cy = ((lat - this.minY) * this.invH) | 0;
    if (cx >= this.nx) cx = this.nx - 1;
    if (cy >= this.ny) cy = this.ny - 1;
    const code = this.grid[cy * this.nx + cx]!;
    if (code >= 0) return this.values[code];
    if (code === EMPTY) return undefined;
    const m = -2 - code;
    const end = this.mixedStart[m + 1]!;
    for (let k = this.mixedStart[m]!; k < end; k++) {
      const part = this.mixedParts[k]!;
      if (this.polygons.contains(part, lon, lat)) return this.values[this.partItem[part]!];
    }
    const fallback = this.mixedFallback[m]!;
    return fallback >= 0 ? this.values[fallback] : undefined;
  }

  get stats(): AreaPointIndexStats {
    let owned = 0;
    let empty = 0;
    for (let i = 0; i < this.grid.length; i++) {
      const c = this.grid[i]!;
      if (c >= 0) owned++;
      else if (c === EMPTY) empty++;
    }
    const mixed = this.mixedFallback.length;
    return {
      items: this.values.length,
      polygons: this.partItem.length,
      buckets: this.grid.length,
      ownedBuckets: owned,
      mixedBuckets: mixed,
      emptyBuckets: empty,
      meanCandidatesPerMixedBucket: mixed === 0 ? 0 : this.mixedParts.length / mixed,
    };
  }
}

/** Growable Int32 buffer. */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

class FloatList {
  data = new Float64Array(4096);
  length = 0;
  push4(a: number, b: number, c: number, d: number): void {
    if (this.length + 4 > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    const l = this.length;
    this.data[l] = a;
    this.data[l + 1] = b;
    this.data[l + 2] = c;
    this.data[l + 3] = d;
    this.length = l + 4;
  }
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

function buildIndexData<T>(
  items: readonly { value: T; geometry: AreaGeometry }[],
  options: AreaPointIndexOptions,
): IndexData<T> {
  const values = items.map((it) => it.value);

  // ---- parts and their banded edges -------------------------------------------------------
  type Part = { item: number; rings: [number, number][][]; box: [number, number, number, number] };
  const parts: Part[] = [];
  items.forEach((it, item) => {
    for (const rings of polygonsOf(it.geometry)) {
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const ring of rings) {
        for (const [x, y] of ring) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
      if (!(x0 <= x1 && y0 < y1)) continue; // empty or zero-height: contains nothing
      parts.push({ item, rings, box: [x0, y0, x1, y1] });
    }
  });
  const P = parts.length;
  const partItem = new Int32Array(P);
  const partBox = new Float64Array(P * 4);
  const partBand0 = new Int32Array(P);
  const partBands = new Int32Array(P);
  const partInvBandH = new Float64Array(P);
  const bandStartList = new IntList();
  const edgeList = new FloatList();

  parts.forEach((part, p) => {
    partItem[p] = part.item;
    partBox.set(part.box, p * 4);
    // Canonical edges: lower endpoint first; horizontal edges never cross a horizontal ray.
    const canon: number[] = [];
    for (const ring of part.rings) {
      const n = ring.length;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const a = ring[j]!;
        const b = ring[i]!;
        if (a[1] < b[1]) canon.push(a[1], b[1], a[0], (b[0] - a[0]) / (b[1] - a[1]));
        else if (b[1] < a[1]) canon.push(b[1], a[1], b[0], (a[0] - b[0]) / (a[1] - b[1]));
      }
    }
    const edgeCount = canon.length / 4;
    const bands = edgeCount <= SINGLE_BAND_MAX_EDGES ? 1 : Math.ceil(edgeCount / EDGES_PER_BAND);
    const minY = part.box[1];
    const invBandH = bands / (part.box[3] - minY);
    partBands[p] = bands;
    partInvBandH[p] = invBandH;
    partBand0[p] = bandStartList.length;
    const bandOf = (y: number): number => {
      if (bands === 1) return 0;
      const b = ((y - minY) * invBandH) | 0;
      return b >= bands ? bands - 1 : b;
    };
    // Bucket the edges by band (an edge goes into every band its y-range overlaps).
    const perBand: number[][] = Array.from({ length: bands }, () => []);
    for (let k = 0; k < edgeCount; k++) {
      const b0 = bandOf(canon[k * 4]!);
      const b1 = bandOf(canon[k * 4 + 1]!);
      for (let b = b0; b <= b1; b++) perBand[b]!.push(k);
    }
    for (let b = 0; b < bands; b++) {
      bandStartList.push(edgeList.length / 4);
      for (const k of perBand[b]!) {
        edgeList.push4(canon[k * 4]!, canon[k * 4 + 1]!, canon[k * 4 + 2]!, canon[k * 4 + 3]!);
      }
    }
    // closing entry for this part's last band
    bandStartList.push(edgeList.length / 4);
  });
  const polygons = new PolygonSet(
    partItem, partBox, partBand0, partBands, partInvBandH, bandStartList.toArray(), edgeList.toArray(),
  );

  // ---- grid ---------------------------------------------------------------------------------
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let p = 0; p < P; p++) {
    minX = Math.min(minX, partBox[p * 4]!);
    minY = Math.min(minY, partBox[p * 4 + 1]!);
    maxX = Math.max(maxX, partBox[p * 4 + 2]!);
    maxY = Math.max(maxY, partBox[p * 4 + 3]!);
  }
  if (P === 0) {
    return {
      values, polygons, minX: 1, minY: 1, maxX: 0, maxY: 0, nx: 1, ny: 1, invW: 1, invH: 1,
      grid: new Int32Array([EMPTY]), mixedStart: new Int32Array([0]),
      mixedParts: new Int32Array(0), mixedFallback: new Int32Array(0),
    };
  }
  const spanX = Math.max(maxX - minX, 1e-12);
  const spanY = Math.max(maxY - minY, 1e-12);
  const target = Math.min(MAX_BUCKETS, Math.max(64, Math.round(P * (options.bucketsPerPolygon ?? 16))));
  const side = Math.sqrt((spanX * spanY) / target);
  const nx = Math.max(1, Math.min(MAX_BUCKETS, Math.ceil(spanX / side)));
  const ny = Math.max(1, Math.min(Math.floor(MAX_BUCKETS / nx), Math.ceil(spanY / side)));
  const w = spanX / nx;
  const h = spanY / ny;
  const invW = nx / spanX;
  const invH = ny / spanY;
  // Buckets are treated as slightly larger than they are, so that rounding in the lookup's
  // bucket arithmetic and in the crossing test can never contradict a "fully inside" verdict.
  const margin =
    1e-6 * Math.min(w, h) + 1e-12 * (1 + Math.max(Math.abs(minX), Math.abs(maxX), Math.abs(minY), Math.abs(maxY)));
  const colOf = (x: number): number => Math.min(nx - 1, Math.max(0, Math.floor((x - minX) * invW)));
  const rowOf = (y: number): number => Math.min(ny - 1, Math.max(0, Math.floor((y - minY) * invH)));
  const B = nx * ny;

  // ---- buckets touched by each part's edges ---------------------------------------------------
  const lastPart = new Int32Array(B).fill(-1);
  const crossBucket = new IntList();
  const crossPart = new IntList();
  for (let p = 0; p < P; p++) {
    for (const ring of parts[p]!.rings) {
      const n = ring.length;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const [ax, ay] = ring[j]!;
        const [bx, by] = ring[i]!;
        const ey0 = Math.min(ay, by);
        const ey1 = Math.max(ay, by);
        const r0 = rowOf(ey0 - margin);
        const r1 = rowOf(ey1 + margin);
        for (let r = r0; r <= r1; r++) {
          // The segment's x-range inside this row's (widened) y-band.
          const bandLo = Math.max(ey0, minY + r * h - margin);
          const bandHi = Math.min(ey1, minY + (r + 1) * h + margin);
          let xa: number, xb: number;
          if (ay === by || bandLo > bandHi) {
            xa = Math.min(ax, bx);
            xb = Math.max(ax, bx);
          } else {
            const t = (bx - ax) / (by - ay);
            const p0 = ax + (bandLo - ay) * t;
            const p1 = ax + (bandHi - ay) * t;
            xa = Math.max(Math.min(p0, p1), Math.min(ax, bx));
            xb = Math.min(Math.max(p0, p1), Math.max(ax, bx));
          }
          const c0 = colOf(xa - margin);
          const c1 = colOf(xb + margin);
          const rowBase = r * nx;
          for (let c = c0; c <= c1; c++) {
            const bucket = rowBase + c;
            if (lastPart[bucket] !== p) {
              lastPart[bucket] = p;
              crossBucket.push(bucket);
              crossPart.push(p);
            }
          }
        }
      }
    }
  }
  // Group (bucket, part) pairs by bucket; a stable counting sort keeps parts in item order.
  const crossStart = new Int32Array(B + 1);
  for (let k = 0; k < crossBucket.length; k++) crossStart[crossBucket.data[k]! + 1]!++;
  for (let b = 0; b < B; b++) crossStart[b + 1]! += crossStart[b]!;
  const crossParts = new Int32Array(crossBucket.length);
  {
    const fill = crossStart.slice(0, B);
    for (let k = 0; k < crossBucket.length; k++) {
      crossParts[fill[crossBucket.data[k]!]!++] = crossPart.data[k]!;
    }
  }

  // ---- first part (in order) wholly covering each bucket ---------------------------------------
  const cover = new Int32Array(B).fill(-1);
  const crossedBy = (bucket: number, p: number): boolean => {
    for (let k = crossStart[bucket]!; k < crossStart[bucket + 1]!; k++) {
      if (crossParts[k] === p) return true;
    }
    return false;
  };
  for (let p = 0; p < P; p++) {
    const c0 = colOf(partBox[p * 4]!);
    const c1 = colOf(partBox[p * 4 + 2]!);
    const r0 = rowOf(partBox[p * 4 + 1]!);
    const r1 = rowOf(partBox[p * 4 + 3]!);
    for (let r = r0; r <= r1; r++) {
      const cy = minY + (r + 0.5) * h;
      for (let c = c0; c <= c1; c++) {
        const bucket = r * nx + c;
        if (cover[bucket] !== -1) continue; // an earlier part already owns it
        if (crossedBy(bucket, p)) continue;
        if (polygons.contains(p, minX + (c + 0.5) * w, cy)) cover[bucket] = p;
      }
    }
  }

  // ---- classify buckets -------------------------------------------------------------------------
  const grid = new Int32Array(B);
  const mixedStart = new IntList();
  const mixedParts = new IntList();
  const mixedFallback = new IntList();
  for (let bucket = 0; bucket < B; bucket++) {
    const f = cover[bucket]!;
    const fallbackItem = f >= 0 ? partItem[f]! : -1;
    const listStart = mixedParts.length;
    for (let k = crossStart[bucket]!; k < crossStart[bucket + 1]!; k++) {
      const p = crossParts[k]!;
      if (f >= 0 && p > f) break; // the covering part answers before any later one
      if (partItem[p] === fallbackItem) continue; // same answer as the fallback anyway
      mixedParts.push(p);
    }
    if (mixedParts.length === listStart) {
      grid[bucket] = fallbackItem >= 0 ? fallbackItem : EMPTY;
    } else {
      grid[bucket] = -2 - mixedFallback.length;
      mixedStart.push(listStart);
      mixedFallback.push(fallbackItem);
    }
  }
  mixedStart.push(mixedParts.length);

  return {
    values, polygons, minX, minY, maxX, maxY, nx, ny, invW, invH, grid,
    mixedStart: mixedStart.toArray(), mixedParts: mixedParts.toArray(), mixedFallback: mixedFallback.toArray(),
  };
}
