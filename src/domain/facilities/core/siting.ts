/**
 * Siting: choose k new sites among candidates to cover as many not-yet-covered people as
 * possible (maximum coverage). Greedy with lazy evaluation (CELF, Leskovec et al. 2007): the
 * people a candidate would newly cover can only fall as sites are chosen (coverage is
 * submodular), so a candidate's last computed gain is an upper bound; a candidate is
 * re-evaluated only when it reaches the top of the queue with a stale bound.
 *
 * Guarantee: without capacities, the greedy choice covers at least (1 − 1/e) ≈ 63.2 % of what
 * the best possible set of k candidates would newly cover (Nemhauser, Wolsey & Fisher 1978), and
 * the gain sequence never increases. With capacities, a site serves at most its capacity in
 * people, its nearest uncovered ones first; a population point (many people at one address) may
 * be served in part, the rest of its people stay uncovered for the next sites. The gain is then
 * min(capacity, uncovered people within reach) — a truncated coverage function, still
 * submodular, so the lazy bounds hold and gains never increase — but the (1 − 1/e) bound is not
 * claimed for that variant.
 *
 * Pure and deterministic: ties go to the lower candidate index.
 */
import { PointBuckets, type Points, type Sites } from './coverage';

export interface SitingInput {
  points: Points;
  /** points already covered by existing facilities */
  covered: Uint8Array;
  candidates: Sites & { capacity?: Float64Array | undefined };
  reach: number;
  k: number;
  respectCapacity?: boolean;
}

export interface SitingPick {
  candidate: number;
  gain: number;
  cumulative: number;
  /** points newly covered by this site */
  points: number;
}

export interface SitingResult {
  picks: SitingPick[];
  /** gain evaluations done (CELF's saving: far fewer than k × candidates) */
  evaluations: number;
  coveredAfter: Uint8Array;
}

/** Max-heap on (gain desc, candidate asc). */
class Queue {
  private g: number[] = [];
  private c: number[] = [];
  private r: number[] = [];
  get size(): number {
    return this.g.length;
  }
  private above(i: number, j: number): boolean {
    return this.g[i]! > this.g[j]! || (this.g[i] === this.g[j] && this.c[i]! < this.c[j]!);
  }
  private swap(i: number, j: number): void {
    [this.g[i], this.g[j]] = [this.g[j]!, this.g[i]!];
    [this.c[i], this.c[j]] = [this.c[j]!, this.c[i]!];
    [this.r[i], this.r[j]] = [this.r[j]!, this.r[i]!];
  }
  push(gain: number, cand: number, round: number): void {
    this.g.push(gain);
    this.c.push(cand);
    this.r.push(round);
    let i = this.g.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): { gain: number; cand: number; round: number } {
    const top = { gain: this.g[0]!, cand: this.c[0]!, round: this.r[0]! };
    const last = this.g.length - 1;
    this.swap(0, last);
    this.g.pop();
    this.c.pop();
    this.r.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, rr = l + 1;
      let m = i;
      if (l < this.g.length && this.above(l, m)) m = l;
      if (rr < this.g.length && this.above(rr, m)) m = rr;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

export function greedySiting(input: SitingInput): SitingResult {
  const { points, candidates, reach } = input;
  const covered = Uint8Array.from(input.covered);
  const open: number[] = [];
  for (let i = 0; i < points.x.length; i++) if (!covered[i] && points.w[i]! > 0) open.push(i);
  // Buckets of an eighth of the reach, each with its uncovered weight: a bucket wholly inside a
  // candidate's disc adds its sum at once; only the ring of buckets on the disc's edge is
  // checked point by point.
  const buckets = new PointBuckets(points.x, points.y, reach / 8, Int32Array.from(open));
  const r2 = reach * reach;
  const cap = (c: number) => (input.respectCapacity && candidates.capacity ? candidates.capacity[c]! : Infinity);
  const px = points.x, py = points.y, pw = points.w;
  const { start, order, nx, ny, minX, minY, cs } = buckets;
  // people not yet covered at each point (a capacity may cover a point in part)
  const left = Float64Array.from(pw);
  const bucketSum = new Float64Array(nx * ny);
  for (let c = 0; c < nx * ny; c++) for (let k = start[c]!; k < start[c + 1]!; k++) bucketSum[c]! += left[order[k]!]!;
  const bucketOf = (i: number) => Math.floor((py[i]! - minY) / cs) * nx + Math.floor((px[i]! - minX) / cs);

  /** newly covered people and the people that would be taken at each point (tight loops: this is the hot path) */
  const evaluate = (c: number, take: boolean): { gain: number; taken: number[]; amounts: number[] } => {
    const cx = candidates.x[c]!, cy = candidates.y[c]!;
    const limit = cap(c);
    const collect = take || limit !== Infinity;
    const within: number[] = [];
    const d2s: number[] = [];
    let sum = 0;
    const i0 = Math.max(0, Math.floor((cx - reach - minX) / cs)), i1 = Math.min(nx - 1, Math.floor((cx + reach - minX) / cs));
    const j0 = Math.max(0, Math.floor((cy - reach - minY) / cs)), j1 = Math.min(ny - 1, Math.floor((cy + reach - minY) / cs));
    for (let j = j0; j <= j1; j++) {
      const y0 = minY + j * cs, y1 = y0 + cs;
      const dyNear = cy < y0 ? y0 - cy : cy > y1 ? cy - y1 : 0;
      const dyFar = Math.max(Math.abs(cy - y0), Math.abs(cy - y1));
      for (let i = i0; i <= i1; i++) {
        const x0 = minX + i * cs, x1 = x0 + cs;
        const dxNear = cx < x0 ? x0 - cx : cx > x1 ? cx - x1 : 0;
        if (dxNear * dxNear + dyNear * dyNear > r2) continue;
        const b = j * nx + i;
        const dxFar = Math.max(Math.abs(cx - x0), Math.abs(cx - x1));
        if (!collect && dxFar * dxFar + dyFar * dyFar <= r2) {
          sum += bucketSum[b]!;
          continue;
        }
        for (let k = start[b]!, end = start[b + 1]!; k < end; k++) {
          const p = order[k]!;
          if (covered[p]) continue;
          const dx = px[p]! - cx, dy = py[p]! - cy;
          const d2 = dx * dx + dy * dy;
          if (d2 > r2) continue;
          sum += left[p]!;
          if (collect) {
            within.push(p);
            d2s.push(d2);
          }
        }
      }
    }
    if (limit === Infinity || sum <= limit) return { gain: sum, taken: take ? within : [], amounts: take ? within.map((p) => left[p]!) : [] };
    if (!take) return { gain: limit, taken: [], amounts: [] };
    // capacity binds: the nearest uncovered people first, up to the capacity (the last point in part)
    const byDistance = within.map((_, k) => k).sort((a, b) => d2s[a]! - d2s[b]! || within[a]! - within[b]!);
    let g = 0;
    const taken: number[] = [];
    const amounts: number[] = [];
    for (const k of byDistance) {
      if (g >= limit) break;
      const a = Math.min(left[within[k]!]!, limit - g);
      g += a;
      taken.push(within[k]!);
      amounts.push(a);
    }
    return { gain: limit, taken, amounts };
  };

  const q = new Queue();
  let evaluations = 0;
  for (let c = 0; c < candidates.x.length; c++) {
    const { gain } = evaluate(c, false);
    evaluations++;
    if (gain > 0) q.push(gain, c, 0);
  }
  const picks: SitingPick[] = [];
  let cumulative = 0;
  let round = 0;
  const far2 = 4 * r2; // a pick farther than twice the reach cannot change a candidate's gain
  while (picks.length < input.k && q.size > 0) {
    const top = q.pop();
    if (top.round < round) {
      // stale: unless every pick since it was evaluated lies beyond twice the reach, look again
      let touched = false;
      for (let r = top.round; r < round && !touched; r++) {
        const pc = picks[r]!.candidate;
        const dx = candidates.x[pc]! - candidates.x[top.cand]!, dy = candidates.y[pc]! - candidates.y[top.cand]!;
        touched = dx * dx + dy * dy <= far2;
      }
      if (touched) {
        const { gain } = evaluate(top.cand, false);
        evaluations++;
        if (gain > 0) q.push(gain, top.cand, round);
      } else {
        q.push(top.gain, top.cand, round);
      }
      continue;
    }
    const { gain, taken, amounts } = evaluate(top.cand, true);
    taken.forEach((i, k) => {
      const a = amounts[k]!;
      bucketSum[bucketOf(i)]! -= a;
      left[i] = a >= left[i]! ? 0 : left[i]! - a;
      if (left[i] === 0) covered[i] = 1;
    });
    cumulative += gain;
    picks.push({ candidate: top.cand, gain, cumulative, points: taken.length });
    round++;
  }
  return { picks, evaluations, coveredAfter: covered };
}

/**
 * Candidate sites on a square lattice of `spacing` metres, kept where some uncovered people
 * live within reach (an uncovered point inside the lattice cell's reach).
 */
export function latticeCandidates(points: Points, covered: Uint8Array, reach: number, spacing: number): { x: Float64Array; y: Float64Array } {
  const open: number[] = [];
  for (let i = 0; i < points.x.length; i++) if (!covered[i] && points.w[i]! > 0) open.push(i);
  if (open.length === 0) return { x: new Float64Array(0), y: new Float64Array(0) };
  const buckets = new PointBuckets(points.x, points.y, reach, Int32Array.from(open));
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const i of open) {
    minX = Math.min(minX, points.x[i]!);
    maxX = Math.max(maxX, points.x[i]!);
    minY = Math.min(minY, points.y[i]!);
    maxY = Math.max(maxY, points.y[i]!);
  }
  const xs: number[] = [], ys: number[] = [];
  const r2 = reach * reach;
  const x0 = Math.floor(minX / spacing) * spacing, y0 = Math.floor(minY / spacing) * spacing;
  for (let y = y0; y <= maxY + spacing; y += spacing) {
    for (let x = x0; x <= maxX + spacing; x += spacing) {
      let any = false;
      buckets.forEachNear(x, y, reach, (i) => {
        if (any) return;
        const dx = points.x[i]! - x, dy = points.y[i]! - y;
        if (dx * dx + dy * dy <= r2) any = true;
      });
      if (any) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  return { x: Float64Array.from(xs), y: Float64Array.from(ys) };
}
