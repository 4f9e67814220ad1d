/**
 * Straight-line coverage: for each population point, the nearest facility within reach and its
 * distance; per area, covered and uncovered weight. Everything runs in the local metre plane
 * (plane.ts) on typed arrays, so a million points against thousands of facilities take well
 * under a second (bench/coverage.ts).
 *
 * The facility index is a bucket grid whose cells list every facility that can reach some
 * point of the cell, sorted by their distance to the cell's rectangle (a lower bound of the
 * distance to any point in it): a query walks its cell's list and stops at the first facility
 * whose lower bound exceeds the best distance found. Ties go to the lower facility index, so the
 * answer is deterministic and the same as a brute-force scan (coverage.test.ts checks both).
 *
 * Pure: no clock, no randomness, no I/O.
 */

export interface Points {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** people at the point in the population group being measured */
  readonly w: Float64Array;
}

export interface Sites {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export interface CoverageResult {
  /** nearest facility index within reach, or -1 */
  readonly nearest: Int32Array;
  /** its distance in metres, or Infinity */
  readonly dist: Float64Array;
  readonly coveredWeight: number;
  readonly totalWeight: number;
  readonly coveredPoints: number;
}

const MAX_CELLS = 1 << 20;

export class FacilityIndex {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cs: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly start: Int32Array;
  private readonly fac: Int32Array;
  private readonly lb2: Float64Array;

  /** Facilities `f` that may serve points inside [minX,maxX]×[minY,maxY] within `reach`. */
  constructor(
    private readonly f: Sites,
    readonly reach: number,
    bbox: readonly [number, number, number, number],
  ) {
    const [minX, minY, maxX, maxY] = bbox;
    const w = Math.max(1, maxX - minX), h = Math.max(1, maxY - minY);
    const cs = Math.max(reach / 4, Math.sqrt((w * h) / MAX_CELLS), 1);
    this.minX = minX;
    this.minY = minY;
    this.cs = cs;
    this.nx = Math.max(1, Math.ceil(w / cs) + 1);
    this.ny = Math.max(1, Math.ceil(h / cs) + 1);
    const cells = this.nx * this.ny;
    const r2 = reach * reach;
    const count = new Int32Array(cells + 1);
    const n = f.x.length;
    // two passes: count, then fill (CSR)
    const fxs = f.x, fys = f.y, nx = this.nx, ny = this.ny;
    const fill = new Int32Array(cells);
    let fac = new Int32Array(0), lb2 = new Float64Array(0);
    for (let pass = 0; pass < 2; pass++) {
      for (let fi = 0; fi < n; fi++) {
        const fx = fxs[fi]!, fy = fys[fi]!;
        const i0 = Math.max(0, Math.floor((fx - reach - minX) / cs)), i1 = Math.min(nx - 1, Math.floor((fx + reach - minX) / cs));
        const j0 = Math.max(0, Math.floor((fy - reach - minY) / cs)), j1 = Math.min(ny - 1, Math.floor((fy + reach - minY) / cs));
        for (let j = j0; j <= j1; j++) {
          const y0 = minY + j * cs;
          const dy = fy < y0 ? y0 - fy : fy > y0 + cs ? fy - y0 - cs : 0;
          for (let i = i0; i <= i1; i++) {
            const x0 = minX + i * cs;
            const dx = fx < x0 ? x0 - fx : fx > x0 + cs ? fx - x0 - cs : 0;
            const d2 = dx * dx + dy * dy;
            if (d2 > r2) continue;
            const cell = j * nx + i;
            if (pass === 0) count[cell + 1]!++;
            else {
              const k = fill[cell]!++;
              fac[k] = fi;
              lb2[k] = d2;
            }
          }
        }
      }
      if (pass === 0) {
        for (let c = 0; c < cells; c++) count[c + 1]! += count[c]!;
        fill.set(count.subarray(0, cells));
        fac = new Int32Array(count[cells]!);
        lb2 = new Float64Array(count[cells]!);
      }
    }
    this.start = count;
    this.fac = fac;
    this.lb2 = lb2;
    // Each cell's list by lower bound. The order among equal bounds does not matter (a query
    // breaks only on a strictly larger bound and compares exact distances), so the bound is
    // rounded down to a decimetre and packed with the facility index into one number, and the
    // lists are sorted natively. A rounded-down bound is still a lower bound.
    const M = 2 ** Math.ceil(Math.log2(n + 1));
    const keys = new Float64Array(lb2.length);
    for (let k = 0; k < lb2.length; k++) keys[k] = Math.floor(Math.sqrt(lb2[k]!) * 10) * M + fac[k]!;
    for (let c = 0; c < cells; c++) keys.subarray(count[c]!, count[c + 1]!).sort();
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      const dm = Math.floor(key / M);
      fac[k] = key - dm * M;
      lb2[k] = (dm / 10) ** 2;
    }
  }

  /** The grid cell of a point, or -1 outside the grid (for ordering queries by place). */
  cellOf(x: number, y: number): number {
    const i = Math.floor((x - this.minX) / this.cs), j = Math.floor((y - this.minY) / this.cs);
    return i < 0 || j < 0 || i >= this.nx || j >= this.ny ? -1 : j * this.nx + i;
  }

  get cellCount(): number {
    return this.nx * this.ny;
  }

  get entries(): number {
    return this.fac.length;
  }

  /** Nearest facility within reach: its index (or -1); the distance lands in `out[0]`. */
  nearest(x: number, y: number, out: Float64Array): number {
    const i = Math.floor((x - this.minX) / this.cs), j = Math.floor((y - this.minY) / this.cs);
    const r2 = this.reach * this.reach;
    let best2 = r2;
    let bi = -1;
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) {
      // outside the grid: a plain scan (only for points added after the index was built)
      for (let fi = 0; fi < this.f.x.length; fi++) {
        const dx = x - this.f.x[fi]!, dy = y - this.f.y[fi]!;
        const d2 = dx * dx + dy * dy;
        if (d2 < best2 || (d2 === best2 && (bi === -1 || fi < bi))) {
          best2 = d2;
          bi = fi;
        }
      }
    } else {
      const c = j * this.nx + i;
      const lb2 = this.lb2, fac = this.fac, fx = this.f.x, fy = this.f.y;
      for (let k = this.start[c]!, end = this.start[c + 1]!; k < end; k++) {
        if (lb2[k]! > best2) break;
        const fi = fac[k]!;
        const dx = x - fx[fi]!, dy = y - fy[fi]!;
        const d2 = dx * dx + dy * dy;
        if (d2 < best2 || (d2 === best2 && (bi === -1 || fi < bi))) {
          best2 = d2;
          bi = fi;
        }
      }
    }
    out[0] = bi === -1 ? Infinity : Math.sqrt(best2);
    return bi;
  }
}

export function bboxOfPoints(p: { x: Float64Array; y: Float64Array }, pad = 0): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < p.x.length; i++) {
    const x = p.x[i]!, y = p.y[i]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!Number.isFinite(minX)) return [0, 0, 1, 1];
  return [minX - pad, minY - pad, maxX + pad, maxY + pad];
}

/** Nearest facility within `reach` for every point, straight-line in the plane. */
export function computeCoverage(points: Points, facilities: Sites, reach: number): CoverageResult {
  const n = points.x.length;
  const nearest = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n).fill(Infinity);
  let coveredWeight = 0, totalWeight = 0, coveredPoints = 0;
  if (facilities.x.length > 0 && n > 0) {
    const index = new FacilityIndex(facilities, reach, bboxOfPoints(points));
    // visit the points cell by cell (counting sort): neighbours share their cell's list in cache
    const cells = index.cellCount;
    const start = new Int32Array(cells + 2);
    const cellOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = index.cellOf(points.x[i]!, points.y[i]!);
      cellOf[i] = c;
      start[c + 2]!++;
    }
    for (let c = 0; c <= cells; c++) start[c + 1]! += start[c]!;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[start[cellOf[i]! + 1]!++] = i;
    const out = new Float64Array(1);
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const f = index.nearest(points.x[i]!, points.y[i]!, out);
      if (f >= 0) {
        nearest[i] = f;
        dist[i] = out[0]!;
        coveredWeight += points.w[i]!;
        coveredPoints++;
      }
    }
  }
  for (let i = 0; i < n; i++) totalWeight += points.w[i]!;
  return { nearest, dist, coveredWeight, totalWeight, coveredPoints };
}

/** The same answer by brute force (tests, and a reference for small inputs). */
export function computeCoverageBrute(points: Points, facilities: Sites, reach: number): CoverageResult {
  const n = points.x.length;
  const nearest = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n).fill(Infinity);
  let coveredWeight = 0, totalWeight = 0, coveredPoints = 0;
  const r2 = reach * reach;
  for (let i = 0; i < n; i++) {
    let best2 = r2, bi = -1;
    for (let f = 0; f < facilities.x.length; f++) {
      const dx = points.x[i]! - facilities.x[f]!, dy = points.y[i]! - facilities.y[f]!;
      const d2 = dx * dx + dy * dy;
      if (d2 < best2 || (d2 === best2 && bi === -1)) {
        best2 = d2;
        bi = f;
      }
    }
    totalWeight += points.w[i]!;
    if (bi >= 0) {
      nearest[i] = bi;
      dist[i] = Math.sqrt(best2);
      coveredWeight += points.w[i]!;
      coveredPoints++;
    }
  }
  return { nearest, dist, coveredWeight, totalWeight, coveredPoints };
}

// ---- points by bucket (siting, what-if) -----------------------------------------------------

/** Points in square buckets of side `cs` (CSR), to visit those within a distance of a place. */
export class PointBuckets {
  readonly minX: number;
  readonly minY: number;
  readonly cs: number;
  readonly nx: number;
  readonly ny: number;
  readonly start: Int32Array;
  readonly order: Int32Array;

  constructor(x: Float64Array, y: Float64Array, cellSize: number, subset?: Int32Array) {
    const ids = subset ?? Int32Array.from({ length: x.length }, (_, i) => i);
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const i of ids) {
      if (x[i]! < minX) minX = x[i]!;
      if (x[i]! > maxX) maxX = x[i]!;
      if (y[i]! < minY) minY = y[i]!;
      if (y[i]! > maxY) maxY = y[i]!;
    }
    if (!Number.isFinite(minX)) [minX, minY, maxX, maxY] = [0, 0, 1, 1];
    const w = maxX - minX + 1, h = maxY - minY + 1;
    const cs = Math.max(cellSize, Math.sqrt((w * h) / MAX_CELLS), 1);
    this.minX = minX;
    this.minY = minY;
    this.cs = cs;
    this.nx = Math.ceil(w / cs) + 1;
    this.ny = Math.ceil(h / cs) + 1;
    const cells = this.nx * this.ny;
    const start = new Int32Array(cells + 1);
    const cellOf = new Int32Array(ids.length);
    ids.forEach((p, k) => {
      const c = Math.floor((y[p]! - minY) / cs) * this.nx + Math.floor((x[p]! - minX) / cs);
      cellOf[k] = c;
      start[c + 1]!++;
    });
    for (let c = 0; c < cells; c++) start[c + 1]! += start[c]!;
    const fill = Int32Array.from(start.subarray(0, cells));
    this.order = new Int32Array(ids.length);
    ids.forEach((p, k) => (this.order[fill[cellOf[k]!]!++] = p));
    this.start = start;
  }

  /** Calls `fn(point)` for every point in the buckets overlapping the square of half-side r around (x, y). */
  forEachNear(x: number, y: number, r: number, fn: (p: number) => void): void {
    const i0 = Math.max(0, Math.floor((x - r - this.minX) / this.cs)), i1 = Math.min(this.nx - 1, Math.floor((x + r - this.minX) / this.cs));
    const j0 = Math.max(0, Math.floor((y - r - this.minY) / this.cs)), j1 = Math.min(this.ny - 1, Math.floor((y + r - this.minY) / this.cs));
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const c = j * this.nx + i;
        for (let k = this.start[c]!, end = this.start[c + 1]!; k < end; k++) fn(this.order[k]!);
      }
    }
  }
}

// ---- aggregation ----------------------------------------------------------------------------

export interface AreaTally {
  total: Float64Array;
  covered: Float64Array;
  points: Int32Array;
  uncoveredPoints: Int32Array;
}

/** Covered and total weight per area; `areaOf[i]` is point i's area index (or -1). */
export function tallyByArea(points: Points, nearest: Int32Array, areaOf: Int32Array, areaCount: number): AreaTally {
  const t: AreaTally = {
    total: new Float64Array(areaCount),
    covered: new Float64Array(areaCount),
    points: new Int32Array(areaCount),
    uncoveredPoints: new Int32Array(areaCount),
  };
  for (let i = 0; i < points.x.length; i++) {
    const a = areaOf[i]!;
    if (a < 0) continue;
    t.total[a]! += points.w[i]!;
    t.points[a]!++;
    if (nearest[i]! >= 0) t.covered[a]! += points.w[i]!;
    else if (points.w[i]! > 0) t.uncoveredPoints[a]!++;
  }
  return t;
}
