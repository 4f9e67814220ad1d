/**
 * Network distance along an imported road or footpath network. Lines (already in the metre
 * plane) become a graph: vertices closer than `mergeM` are one node, every consecutive pair of
 * vertices an edge weighted by its length. Lines meet only where they share a vertex (as in
 * OpenStreetMap): a bridge crossing a street without a common vertex does not connect.
 *
 * A place (a person's building, a facility) joins the network at the nearest point of the
 * nearest edge (snapping), walking the straight snap distance to it. One multi-source Dijkstra
 * from every facility at once labels each node with its nearest facility and the distance,
 * bounded by the standard's limit; a point then takes the better of its edge's two ends (or a
 * facility on the same edge). Every path is made of straight pieces between the point and the
 * facility, so a network distance is never shorter than the straight line (network.test.ts).
 *
 * Pure: no clock, no randomness, no I/O.
 */
import Flatbush from 'flatbush';
import type { CoverageResult, Points, Sites } from './coverage';

export interface Network {
  readonly nodeX: Float64Array;
  readonly nodeY: Float64Array;
  readonly edgeA: Int32Array;
  readonly edgeB: Int32Array;
  readonly edgeLen: Float64Array;
  /** adjacency (CSR): for node n, adjStart[n] … adjStart[n+1] index adjEdge */
  readonly adjStart: Int32Array;
  readonly adjEdge: Int32Array;
  readonly index: Flatbush | null;
  readonly lengthM: number;
}

/** Builds the graph from polylines given as arrays of [x, y] in metres. */
export function buildNetwork(lines: readonly (readonly (readonly [number, number])[])[], mergeM = 0.5): Network {
  const ids = new Map<string, number>();
  const nx: number[] = [], ny: number[] = [];
  const node = (x: number, y: number): number => {
    const key = `${Math.round(x / mergeM)},${Math.round(y / mergeM)}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = nx.length;
      ids.set(key, id);
      nx.push(x);
      ny.push(y);
    }
    return id;
  };
  const ea: number[] = [], eb: number[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    let prev = -1;
    for (const [x, y] of line) {
      const cur = node(x, y);
      if (prev >= 0 && prev !== cur) {
        const k = prev < cur ? `${prev}:${cur}` : `${cur}:${prev}`;
        if (!seen.has(k)) {
          seen.add(k);
          ea.push(prev);
          eb.push(cur);
        }
      }
      prev = cur;
    }
  }
  const nodeX = Float64Array.from(nx), nodeY = Float64Array.from(ny);
  const edgeA = Int32Array.from(ea), edgeB = Int32Array.from(eb);
  const edgeLen = new Float64Array(ea.length);
  let lengthM = 0;
  for (let e = 0; e < ea.length; e++) {
    edgeLen[e] = Math.hypot(nodeX[edgeB[e]!]! - nodeX[edgeA[e]!]!, nodeY[edgeB[e]!]! - nodeY[edgeA[e]!]!);
    lengthM += edgeLen[e]!;
  }
  const adjStart = new Int32Array(nx.length + 1);
  for (let e = 0; e < ea.length; e++) {
    adjStart[edgeA[e]! + 1]!++;
    adjStart[edgeB[e]! + 1]!++;
  }
  for (let n = 0; n < nx.length; n++) adjStart[n + 1]! += adjStart[n]!;
  const fill = Int32Array.from(adjStart.subarray(0, nx.length));
  const adjEdge = new Int32Array(ea.length * 2);
  for (let e = 0; e < ea.length; e++) {
    adjEdge[fill[edgeA[e]!]!++] = e;
    adjEdge[fill[edgeB[e]!]!++] = e;
  }
  let index: Flatbush | null = null;
  if (ea.length > 0) {
    index = new Flatbush(ea.length);
    for (let e = 0; e < ea.length; e++) {
      const ax = nodeX[edgeA[e]!]!, ay = nodeY[edgeA[e]!]!, bx = nodeX[edgeB[e]!]!, by = nodeY[edgeB[e]!]!;
      index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
    }
    index.finish();
  }
  return { nodeX, nodeY, edgeA, edgeB, edgeLen, adjStart, adjEdge, index, lengthM };
}

export interface Snap {
  edge: number;
  /** position along the edge from A (0) to B (1) */
  t: number;
  /** straight distance from the place to the network */
  d: number;
}

/** The nearest point of the network within maxSnapM, or null. */
export function snapToNetwork(net: Network, x: number, y: number, maxSnapM: number): Snap | null {
  if (!net.index) return null;
  for (let r = Math.min(50, maxSnapM); ; r = Math.min(r * 2, maxSnapM)) {
    let best: Snap | null = null;
    for (const e of net.index.search(x - r, y - r, x + r, y + r)) {
      const ax = net.nodeX[net.edgeA[e]!]!, ay = net.nodeY[net.edgeA[e]!]!;
      const bx = net.nodeX[net.edgeB[e]!]!, by = net.nodeY[net.edgeB[e]!]!;
      const vx = bx - ax, vy = by - ay;
      const len2 = vx * vx + vy * vy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / len2));
      const d = Math.hypot(x - (ax + t * vx), y - (ay + t * vy));
      if (!best || d < best.d || (d === best.d && e < best.edge)) best = { edge: e, t, d };
    }
    // only a hit inside the searched square is sure to be the nearest
    if (best && best.d <= r) return best;
    if (r >= maxSnapM) return best && best.d <= maxSnapM ? best : null;
  }
}

/** A binary min-heap of (distance, node) pairs with lazy deletion. */
class Heap {
  private d: number[] = [];
  private n: number[] = [];
  get size(): number {
    return this.d.length;
  }
  push(dist: number, node: number): void {
    const d = this.d, n = this.n;
    let i = d.length;
    d.push(dist);
    n.push(node);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (d[p]! <= dist) break;
      d[i] = d[p]!;
      n[i] = n[p]!;
      i = p;
    }
    d[i] = dist;
    n[i] = node;
  }
  pop(): [number, number] {
    const d = this.d, n = this.n;
    const top: [number, number] = [d[0]!, n[0]!];
    const lastD = d.pop()!, lastN = n.pop()!;
    if (d.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        let md = lastD;
        if (l < d.length && d[l]! < md) {
          m = l;
          md = d[l]!;
        }
        if (r < d.length && d[r]! < md) m = r;
        if (m === i) break;
        d[i] = d[m]!;
        n[i] = n[m]!;
        i = m;
      }
      d[i] = lastD;
      n[i] = lastN;
    }
    return top;
  }
}

export interface NetworkCoverageOptions {
  /** the standard's network distance limit, metres */
  limit: number;
  /** a place farther than this from every edge is off the network (never covered) */
  maxSnapM: number;
}

/** Nearest facility along the network for every point; distances include both snap legs. */
export function networkCoverage(net: Network, points: Points, facilities: Sites, o: NetworkCoverageOptions): CoverageResult & { offNetwork: number } {
  const nodes = net.nodeX.length;
  const label = new Int32Array(nodes).fill(-1);
  const nd = new Float64Array(nodes).fill(Infinity);
  const heap = new Heap();
  const onEdge = new Map<number, { f: number; t: number; d: number }[]>();
  const seed = (node: number, d: number, f: number) => {
    if (d > o.limit) return;
    if (d < nd[node]! || (d === nd[node]! && f < label[node]!)) {
      nd[node] = d;
      label[node] = f;
      heap.push(d, node);
    }
  };
  for (let f = 0; f < facilities.x.length; f++) {
    const s = snapToNetwork(net, facilities.x[f]!, facilities.y[f]!, o.maxSnapM);
    if (!s) continue;
    const len = net.edgeLen[s.edge]!;
    seed(net.edgeA[s.edge]!, s.d + s.t * len, f);
    seed(net.edgeB[s.edge]!, s.d + (1 - s.t) * len, f);
    const list = onEdge.get(s.edge);
    if (list) list.push({ f, t: s.t, d: s.d });
    else onEdge.set(s.edge, [{ f, t: s.t, d: s.d }]);
  }
  while (heap.size > 0) {
    const [d, u] = heap.pop();
    if (d > nd[u]!) continue;
    const f = label[u]!;
    for (let k = net.adjStart[u]!; k < net.adjStart[u + 1]!; k++) {
      const e = net.adjEdge[k]!;
      const v = net.edgeA[e] === u ? net.edgeB[e]! : net.edgeA[e]!;
      const dv = d + net.edgeLen[e]!;
      if (dv > o.limit) continue;
      if (dv < nd[v]! || (dv === nd[v]! && f < label[v]!)) {
        nd[v] = dv;
        label[v] = f;
        heap.push(dv, v);
      }
    }
  }
  const n = points.x.length;
  const nearest = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n).fill(Infinity);
  let coveredWeight = 0, totalWeight = 0, coveredPoints = 0, offNetwork = 0;
  for (let i = 0; i < n; i++) {
    totalWeight += points.w[i]!;
    const s = snapToNetwork(net, points.x[i]!, points.y[i]!, o.maxSnapM);
    if (!s) {
      offNetwork++;
      continue;
    }
    const len = net.edgeLen[s.edge]!;
    const a = net.edgeA[s.edge]!, b = net.edgeB[s.edge]!;
    let best = Infinity, bf = -1;
    const consider = (d: number, f: number) => {
      if (f < 0) return;
      if (d < best || (d === best && f < bf)) {
        best = d;
        bf = f;
      }
    };
    consider(s.d + nd[a]! + s.t * len, label[a]!);
    consider(s.d + nd[b]! + (1 - s.t) * len, label[b]!);
    for (const q of onEdge.get(s.edge) ?? []) consider(s.d + Math.abs(s.t - q.t) * len + q.d, q.f);
    if (bf >= 0 && best <= o.limit) {
      nearest[i] = bf;
      dist[i] = best;
      coveredWeight += points.w[i]!;
      coveredPoints++;
    }
  }
  return { nearest, dist, coveredWeight, totalWeight, coveredPoints, offNetwork };
}
