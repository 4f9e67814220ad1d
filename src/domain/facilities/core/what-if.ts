/**
 * What if a facility moves, or a new one is put here? A coverage state that updates
 * incrementally: only points within reach of the old or the new position can change, so a move
 * touches a few thousand points, not the million (bench: < 100 ms; in the browser while the
 * planner drags, a few milliseconds for the demo district).
 *
 * After any sequence of moves, additions and removals the state equals a full recomputation
 * with `computeCoverage` on the current positions (what-if.test.ts checks it), ties included:
 * the lower facility index wins.
 *
 * Straight-line reach only (radius and time standards). For network standards the planner's
 * what-if uses the straight-line reach as an approximation; see docs/COVERAGE.md.
 */
import { computeCoverage, PointBuckets, type Points } from './coverage';

export interface WhatIfChange {
  /** covered weight before and after this change */
  before: number;
  after: number;
  /** points whose covered/uncovered state flipped */
  flipped: number;
  /** points whose nearest facility changed (including flips) */
  touched: number;
  /** area indexes whose covered weight changed */
  areas: number[];
}

export class WhatIfState {
  readonly fx: number[];
  readonly fy: number[];
  readonly active: boolean[];
  readonly nearest: Int32Array;
  readonly dist: Float64Array;
  readonly areaCovered: Float64Array;
  readonly areaTotal: Float64Array;
  private covered = 0;
  readonly total: number;
  private readonly points: PointBuckets;
  private readonly grid = new Map<number, number[]>();
  private readonly cs: number;

  constructor(
    private readonly p: Points,
    facilities: { x: ArrayLike<number>; y: ArrayLike<number> },
    readonly reach: number,
    private readonly areaOf: Int32Array | null = null,
    areaCount = 0,
  ) {
    this.fx = Array.from(facilities.x);
    this.fy = Array.from(facilities.y);
    this.active = this.fx.map(() => true);
    this.cs = reach;
    this.fx.forEach((_, f) => this.gridAdd(f));
    const r = computeCoverage(p, { x: Float64Array.from(this.fx), y: Float64Array.from(this.fy) }, reach);
    this.nearest = r.nearest;
    this.dist = r.dist;
    this.covered = r.coveredWeight;
    this.total = r.totalWeight;
    this.points = new PointBuckets(p.x, p.y, reach);
    this.areaCovered = new Float64Array(areaCount);
    this.areaTotal = new Float64Array(areaCount);
    if (areaOf) {
      for (let i = 0; i < p.x.length; i++) {
        const a = areaOf[i]!;
        if (a < 0) continue;
        this.areaTotal[a]! += p.w[i]!;
        if (r.nearest[i]! >= 0) this.areaCovered[a]! += p.w[i]!;
      }
    }
  }

  get coveredWeight(): number {
    return this.covered;
  }

  /** Adds a facility; returns its index and what changed. */
  add(x: number, y: number): { index: number; change: WhatIfChange } {
    const f = this.fx.length;
    this.fx.push(x);
    this.fy.push(y);
    this.active.push(true);
    this.gridAdd(f);
    return { index: f, change: this.update(f, null) };
  }

  move(f: number, x: number, y: number): WhatIfChange {
    this.assertActive(f);
    const old: [number, number] = [this.fx[f]!, this.fy[f]!];
    this.gridRemove(f);
    this.fx[f] = x;
    this.fy[f] = y;
    this.gridAdd(f);
    return this.update(f, old);
  }

  remove(f: number): WhatIfChange {
    this.assertActive(f);
    const old: [number, number] = [this.fx[f]!, this.fy[f]!];
    this.gridRemove(f);
    this.active[f] = false;
    return this.update(f, old);
  }

  private assertActive(f: number): void {
    if (!(f >= 0 && f < this.fx.length && this.active[f])) throw new Error(`no active facility ${f}`);
  }

  private key(i: number, j: number): number {
    return (i + 32768) * 65536 + (j + 32768);
  }

  private gridAdd(f: number): void {
    const k = this.key(Math.floor(this.fx[f]! / this.cs), Math.floor(this.fy[f]! / this.cs));
    const list = this.grid.get(k);
    if (list) list.push(f);
    else this.grid.set(k, [f]);
  }

  private gridRemove(f: number): void {
    const k = this.key(Math.floor(this.fx[f]! / this.cs), Math.floor(this.fy[f]! / this.cs));
    const list = this.grid.get(k);
    if (!list) return;
    const at = list.indexOf(f);
    if (at >= 0) list.splice(at, 1);
  }

  /** Nearest active facility within reach by the dynamic grid (same tie rule as computeCoverage). */
  private nearestOf(px: number, py: number): [number, number] {
    const r2 = this.reach * this.reach;
    let best2 = r2, bi = -1;
    const i = Math.floor(px / this.cs), j = Math.floor(py / this.cs);
    for (let dj = -1; dj <= 1; dj++) {
      for (let di = -1; di <= 1; di++) {
        const list = this.grid.get(this.key(i + di, j + dj));
        if (!list) continue;
        for (const f of list) {
          const dx = px - this.fx[f]!, dy = py - this.fy[f]!;
          const d2 = dx * dx + dy * dy;
          if (d2 < best2 || (d2 === best2 && (bi === -1 || f < bi))) {
            best2 = d2;
            bi = f;
          }
        }
      }
    }
    return [bi, bi === -1 ? Infinity : Math.sqrt(best2)];
  }

  private update(f: number, old: [number, number] | null): WhatIfChange {
    const before = this.covered;
    let flipped = 0, touched = 0;
    const areas = new Set<number>();
    const set = (i: number, nf: number, d: number) => {
      const was = this.nearest[i]! >= 0;
      const now = nf >= 0;
      if (this.nearest[i] !== nf) touched++;
      this.nearest[i] = nf;
      this.dist[i] = d;
      if (was !== now) {
        flipped++;
        const w = this.p.w[i]!;
        this.covered += now ? w : -w;
        const a = this.areaOf ? this.areaOf[i]! : -1;
        if (a >= 0) {
          this.areaCovered[a]! += now ? w : -w;
          areas.add(a);
        }
      }
    };
    const { start, order, nx, ny, minX, minY, cs } = this.points;
    const px = this.p.x, py = this.p.y, nearest = this.nearest;
    const r = this.reach;
    const r2 = r * r;
    const rows = (x: number, y: number) => [
      Math.max(0, Math.floor((x - r - minX) / cs)), Math.min(nx - 1, Math.floor((x + r - minX) / cs)),
      Math.max(0, Math.floor((y - r - minY) / cs)), Math.min(ny - 1, Math.floor((y + r - minY) / cs)),
    ] as const;
    // points that were served by f at its old position look again
    if (old) {
      const [i0, i1, j0, j1] = rows(old[0], old[1]);
      for (let j = j0; j <= j1; j++) {
        for (let k = start[j * nx + i0]!, end = start[j * nx + i1 + 1]!; k < end; k++) {
          const i = order[k]!;
          if (nearest[i] !== f) continue;
          const [nf, d] = this.nearestOf(px[i]!, py[i]!);
          set(i, nf, d);
        }
      }
    }
    // points within reach of the new position may now be served by f
    if (this.active[f]) {
      const x = this.fx[f]!, y = this.fy[f]!;
      const [i0, i1, j0, j1] = rows(x, y);
      for (let j = j0; j <= j1; j++) {
        for (let k = start[j * nx + i0]!, end = start[j * nx + i1 + 1]!; k < end; k++) {
          const i = order[k]!;
          const dx = px[i]! - x, dy = py[i]! - y;
          const d2 = dx * dx + dy * dy;
          if (d2 > r2) continue;
          const cur = nearest[i]!;
          if (cur === f) continue;
          const d = Math.sqrt(d2);
          if (cur === -1 || d < this.dist[i]! || (d === this.dist[i]! && f < cur)) set(i, f, d);
        }
      }
    }
    return { before, after: this.covered, flipped, touched, areas: [...areas].sort((a, b) => a - b) };
  }
}
