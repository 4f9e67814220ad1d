import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCoverage, computeCoverageBrute, tallyByArea, type Points } from './coverage';
import { greedySiting, latticeCandidates } from './siting';
import { buildNetwork, networkCoverage } from './network';
import { WhatIfState } from './what-if';
import { haversineM, planeAround } from './plane';
import { reachMetres } from './standards';

const coord = fc.integer({ min: 0, max: 5000 });
const pointsArb = fc.array(fc.tuple(coord, coord, fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 120 });
const sitesArb = fc.array(fc.tuple(coord, coord), { minLength: 0, maxLength: 25 });

const toPoints = (ps: [number, number, number][]): Points => ({
  x: Float64Array.from(ps.map((p) => p[0])),
  y: Float64Array.from(ps.map((p) => p[1])),
  w: Float64Array.from(ps.map((p) => p[2])),
});
const toSites = (fs: [number, number][]) => ({ x: Float64Array.from(fs.map((f) => f[0])), y: Float64Array.from(fs.map((f) => f[1])) });

describe('the local plane', () => {
  it('is within 0.2 % of the great-circle distance across the demo district', () => {
    const plane = planeAround(120.38, 36.07);
    for (const [lon, lat] of [[120.3, 36.02], [120.47, 36.11], [120.38, 36.15], [120.29, 36.07]] as const) {
      for (const [lon2, lat2] of [[120.381, 36.071], [120.45, 36.03]] as const) {
        const plain = Math.hypot(plane.toX(lon) - plane.toX(lon2), plane.toY(lat) - plane.toY(lat2));
        const sphere = haversineM(lon, lat, lon2, lat2);
        expect(Math.abs(plain - sphere) / sphere).toBeLessThan(0.002);
      }
    }
  });
});

describe('straight-line coverage', () => {
  it('agrees with a brute-force scan, ties included', () => {
    fc.assert(
      fc.property(pointsArb, sitesArb, fc.integer({ min: 50, max: 2000 }), (ps, fs, r) => {
        const a = computeCoverage(toPoints(ps), toSites(fs), r);
        const b = computeCoverageBrute(toPoints(ps), toSites(fs), r);
        expect([...a.nearest]).toEqual([...b.nearest]);
        expect(a.coveredWeight).toBe(b.coveredWeight);
      }),
    );
  });

  it('a point exactly at the radius is covered; one a metre beyond is not', () => {
    const p = toPoints([[900, 0, 1], [901, 0, 1]]);
    const r = computeCoverage(p, toSites([[0, 0]]), 900);
    expect([...r.nearest]).toEqual([0, -1]);
    expect(r.coveredWeight).toBe(1);
  });

  it('coverage never drops when a facility is added', () => {
    fc.assert(
      fc.property(pointsArb, sitesArb, fc.tuple(coord, coord), fc.integer({ min: 50, max: 2000 }), (ps, fs, extra, r) => {
        const before = computeCoverage(toPoints(ps), toSites(fs), r).coveredWeight;
        const after = computeCoverage(toPoints(ps), toSites([...fs, extra]), r).coveredWeight;
        expect(after).toBeGreaterThanOrEqual(before);
      }),
    );
  });

  it('a larger radius never covers fewer people', () => {
    fc.assert(
      fc.property(pointsArb, sitesArb, fc.integer({ min: 10, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (ps, fs, r, more) => {
        const small = computeCoverage(toPoints(ps), toSites(fs), r);
        const large = computeCoverage(toPoints(ps), toSites(fs), r + more);
        expect(large.coveredWeight).toBeGreaterThanOrEqual(small.coveredWeight);
        for (let i = 0; i < ps.length; i++) if (small.nearest[i]! >= 0) expect(large.nearest[i]).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('tallies per area add up to the totals', () => {
    const p = toPoints([[0, 0, 5], [100, 0, 7], [5000, 0, 11]]);
    const r = computeCoverage(p, toSites([[0, 0]]), 500);
    const t = tallyByArea(p, r.nearest, Int32Array.from([0, 1, 1]), 2);
    expect([...t.total]).toEqual([5, 18]);
    expect([...t.covered]).toEqual([5, 7]);
    expect([...t.uncoveredPoints]).toEqual([0, 1]);
  });
});

describe('standards', () => {
  it('turn a travel time into a straight-line reach', () => {
    expect(reachMetres({ mode: 'radius', radiusM: 900 })).toBe(900);
    expect(reachMetres({ mode: 'time', minutes: 5, speedKmh: 30, detourFactor: 1.25 })).toBe(2000);
    expect(reachMetres({ mode: 'network', minutes: 15, speedKmh: 4 })).toBe(1000);
  });
});

describe('what-if', () => {
  it('after any moves, additions and removals equals a full recomputation', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), x: coord, y: coord }),
      fc.record({ kind: fc.constant('move' as const), f: fc.nat(), x: coord, y: coord }),
      fc.record({ kind: fc.constant('remove' as const), f: fc.nat() }),
    );
    fc.assert(
      fc.property(pointsArb, sitesArb, fc.array(op, { maxLength: 12 }), fc.integer({ min: 100, max: 1500 }), (ps, fs, ops, r) => {
        const points = toPoints(ps);
        const areaOf = Int32Array.from(ps.map((_, i) => i % 3));
        const s = new WhatIfState(points, toSites(fs), r, areaOf, 3);
        for (const o of ops) {
          const live = s.active.map((a, i) => (a ? i : -1)).filter((i) => i >= 0);
          if (o.kind === 'add') s.add(o.x, o.y);
          else if (live.length > 0 && o.kind === 'move') s.move(live[o.f % live.length]!, o.x, o.y);
          else if (live.length > 0 && o.kind === 'remove') s.remove(live[o.f % live.length]!);
        }
        // the full answer over the live facilities, mapped back to the state's indexes
        const live = s.active.map((a, i) => (a ? i : -1)).filter((i) => i >= 0);
        const full = computeCoverage(points, { x: Float64Array.from(live.map((i) => s.fx[i]!)), y: Float64Array.from(live.map((i) => s.fy[i]!)) }, r);
        expect([...s.nearest]).toEqual([...full.nearest].map((k) => (k < 0 ? -1 : live[k]!)));
        expect(s.coveredWeight).toBeCloseTo(full.coveredWeight, 9);
        const t = tallyByArea(points, full.nearest, areaOf, 3);
        for (let a = 0; a < 3; a++) expect(s.areaCovered[a]).toBeCloseTo(t.covered[a]!, 9);
      }),
    );
  });
});

describe('greedy siting (CELF)', () => {
  it('the gain sequence never increases, and gains add up to the newly covered people', () => {
    fc.assert(
      fc.property(pointsArb, sitesArb, fc.array(fc.tuple(coord, coord), { minLength: 1, maxLength: 40 }), fc.integer({ min: 100, max: 1500 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), (ps, fs, cs, r, k, capped) => {
        const points = toPoints(ps);
        const before = computeCoverage(points, toSites(fs), r);
        const covered = Uint8Array.from(before.nearest, (n) => (n >= 0 ? 1 : 0));
        const cand = { ...toSites(cs), capacity: Float64Array.from(cs, (_, i) => 20 + (i % 5) * 15) };
        const res = greedySiting({ points, covered, candidates: cand, reach: r, k, respectCapacity: capped });
        for (let i = 1; i < res.picks.length; i++) expect(res.picks[i]!.gain).toBeLessThanOrEqual(res.picks[i - 1]!.gain);
        if (!capped) {
          const after = computeCoverage(points, toSites([...fs, ...res.picks.map((p) => cs[p.candidate]!)]), r);
          expect(before.coveredWeight + (res.picks.at(-1)?.cumulative ?? 0)).toBeCloseTo(after.coveredWeight, 9);
        }
      }),
    );
  });

  it('with a capacity, serves the nearest people first and a crowded point in part (found by the property above)', () => {
    // Two addresses within reach of candidate 2: 5 people and 46 people; its capacity is 50.
    const points = toPoints([[707, 4021, 5], [2574, 3447, 46]]);
    const cand = { ...toSites([[0, 0], [0, 3210], [1773, 4165], [0, 0]]), capacity: Float64Array.from([20, 35, 50, 65]) };
    const res = greedySiting({ points, covered: new Uint8Array(2), candidates: cand, reach: 1076, k: 2, respectCapacity: true });
    expect(res.picks[0]).toMatchObject({ candidate: 2, gain: 50 });
    // one person of the 46 is left for the next site, which can reach... nobody else here
    expect(res.picks.length).toBe(1);
    expect(Array.from(res.coveredAfter)).toEqual([1, 0]);
  });

  it('matches an exhaustive greedy (no laziness) pick for pick', () => {
    fc.assert(
      fc.property(pointsArb, fc.array(fc.tuple(coord, coord), { minLength: 1, maxLength: 25 }), fc.integer({ min: 200, max: 1500 }), (ps, cs, r) => {
        const points = toPoints(ps);
        const none = new Uint8Array(ps.length);
        const lazy = greedySiting({ points, covered: none, candidates: toSites(cs), reach: r, k: 4 });
        const covered = new Uint8Array(ps.length);
        const plain: number[] = [];
        for (let round = 0; round < 4; round++) {
          let best = -1, bestGain = 0;
          cs.forEach(([x, y], c) => {
            let g = 0;
            ps.forEach(([px, py, w], i) => {
              if (!covered[i] && (px - x) ** 2 + (py - y) ** 2 <= r * r) g += w;
            });
            if (g > bestGain) {
              bestGain = g;
              best = c;
            }
          });
          if (best < 0) break;
          plain.push(best);
          ps.forEach(([px, py], i) => {
            if ((px - cs[best]![0]) ** 2 + (py - cs[best]![1]) ** 2 <= r * r) covered[i] = 1;
          });
        }
        expect(lazy.picks.map((p) => p.candidate)).toEqual(plain);
      }),
    );
  });

  it('lattice candidates lie within reach of some uncovered person', () => {
    const points = toPoints([[0, 0, 3], [3000, 0, 4]]);
    const cands = latticeCandidates(points, Uint8Array.from([1, 0]), 500, 250);
    expect(cands.x.length).toBeGreaterThan(0);
    for (let i = 0; i < cands.x.length; i++) expect(Math.hypot(cands.x[i]! - 3000, cands.y[i]!)).toBeLessThanOrEqual(500);
  });
});

describe('network distance', () => {
  const lineArb = fc.array(fc.tuple(coord, coord), { minLength: 2, maxLength: 6 });
  it('is never shorter than the straight line', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), pointsArb, sitesArb, (lines, ps, fs) => {
        const net = buildNetwork(lines);
        const points = toPoints(ps);
        const sites = toSites(fs);
        const r = networkCoverage(net, points, sites, { limit: 20_000, maxSnapM: 20_000 });
        for (let i = 0; i < ps.length; i++) {
          const f = r.nearest[i]!;
          if (f < 0) continue;
          const straight = Math.hypot(points.x[i]! - sites.x[f]!, points.y[i]! - sites.y[f]!);
          expect(r.dist[i]!).toBeGreaterThanOrEqual(straight - 1e-6);
        }
      }),
    );
  });

  it('goes around: a river with one bridge makes the far bank farther', () => {
    // two banks (y = 0 and y = 100) joined by a bridge at x = 1000
    const net = buildNetwork([
      [[0, 0], [500, 0], [1000, 0]],
      [[0, 100], [500, 100], [1000, 100]],
      [[1000, 0], [1000, 100]],
    ]);
    const r = networkCoverage(net, toPoints([[0, 110, 1], [400, -5, 1]]), toSites([[0, -10]]), { limit: 5000, maxSnapM: 200 });
    expect(r.dist[0]).toBeCloseTo(10 + 1000 + 100 + 1000 + 10, 6);
    expect(r.dist[1]).toBeCloseTo(10 + 400 + 5, 6);
    const bounded = networkCoverage(net, toPoints([[0, 110, 1]]), toSites([[0, -10]]), { limit: 900, maxSnapM: 200 });
    expect(bounded.nearest[0]).toBe(-1);
  });
});
