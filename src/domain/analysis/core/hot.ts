/**
 * 热点问题: messages about one problem at one place within a time window, grouped and ranked.
 *
 * Clustering (single pass over candidate pairs, union-find):
 *  - every message becomes a TF-IDF vector of its words (title counted twice) and a set of
 *    named places (core/places.ts) plus, for tickets, its grid cell and position;
 *  - candidate pairs share one of each other's top terms or a named place (an inverted index,
 *    so the work is near-linear, not n²);
 *  - a pair is linked when the two are at most `windowDays` apart and either their texts are
 *    very alike (cosine ≥ `linkCosine`) or they are at the same place and their texts are
 *    alike (cosine ≥ `placeLinkCosine`).
 *
 * The hot index (0–100) of a cluster — see docs/adr/0014-hot-issues.md:
 *   S = 1.0·ln(1+n) + 1.5·ln(1+u) + 0.6·ln(1+s) + 0.4·ln(1+d)
 *   R = 0.5 + 0.5·exp(−a / τ)
 *   hotIndex = 100 · (1 − exp(−S·R / 8))
 * n messages, u distinct requesters, s support (Σ max(0, likes − dislikes); for tickets, urges),
 * d span in days (first to last), a age in days of the latest message at `now`, τ the half-life
 * parameter. Every term grows (or stays) when a message joins, so more messages never lower the
 * index; a requester repeating themself counts less than a new requester.
 */
import { extractPlaces, placeLabel, type PlaceMention } from './places';
import { DocFreq, cosine, haversineMetres, tfidf, type SparseVector } from './similarity';

export interface HotItem {
  id: string;
  title: string;
  body: string;
  /** Epoch milliseconds. */
  time: number;
  user: string | null;
  likes: number;
  dislikes?: number;
  /** The grid cell (tickets); two items in one cell are at the same place. */
  areaKey?: string | null;
  areaName?: string | null;
  lon?: number | null;
  lat?: number | null;
}

export interface HotParams {
  windowDays: number;
  linkCosine: number;
  placeLinkCosine: number;
  /** Two located items closer than this are at the same place. */
  placeRadiusMetres: number;
  minMessages: number;
  /** A single message with at least this support is a hot issue on its own. */
  singleSupport: number;
  halfLifeDays: number;
  /** Epoch ms the recency is measured at. */
  now: number;
}

export const DEFAULT_HOT_PARAMS: Omit<HotParams, 'now'> = {
  windowDays: 60,
  linkCosine: 0.55,
  placeLinkCosine: 0.3,
  placeRadiusMetres: 300,
  minMessages: 2,
  singleSupport: 50,
  halfLifeDays: 30,
};

export interface HotIssue {
  hotIndex: number;
  label: string;
  place: string | null;
  keywords: string[];
  /** The title of the message closest to the cluster's centre. */
  title: string;
  description: string;
  messageIds: string[];
  timeRange: { from: number; to: number };
  messages: number;
  requesters: number;
  support: number;
  spanDays: number;
  areaKey: string | null;
  areaName: string | null;
  center: { lon: number; lat: number } | null;
}

export interface HotDeps {
  /** Content words (stop words removed). */
  tokenize: (text: string) => string[];
  /** Raw segmentation for place names. */
  cut: (text: string) => string[];
  onProgress?: (done: number, total: number) => void;
}

const DAY = 86_400_000;

/** Words too general to name a topic (they still count for clustering). */
const VAGUE = new Set(['附近', '问题', '希望', '反映', '相关', '情况', '严重', '要求', '部门', '领导', '政府', '解决', '处理', '投诉', '举报', '咨询', '建议', '关于', '请求', '市民', '居民', '业主', '群众', '我们', '现在', '目前', '已经', '没有', '一直', '进行', '工作']);

export interface HotStats {
  messages: number;
  requesters: number;
  support: number;
  spanDays: number;
  /** Epoch ms of the latest message. */
  last: number;
}

export function hotStats(items: readonly Pick<HotItem, 'time' | 'user' | 'likes' | 'dislikes' | 'id'>[]): HotStats {
  const users = new Set<string>();
  let support = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const it of items) {
    users.add(it.user ?? `anon:${it.id}`);
    support += Math.max(0, it.likes - (it.dislikes ?? 0));
    first = Math.min(first, it.time);
    last = Math.max(last, it.time);
  }
  return { messages: items.length, requesters: users.size, support, spanDays: items.length ? (last - first) / DAY : 0, last };
}

/** The documented hot index (see the file header). */
export function hotIndex(s: HotStats, now: number, halfLifeDays: number): number {
  if (s.messages === 0) return 0;
  const S = 1.0 * Math.log1p(s.messages) + 1.5 * Math.log1p(s.requesters) + 0.6 * Math.log1p(s.support) + 0.4 * Math.log1p(s.spanDays);
  const age = Math.max(0, (now - s.last) / DAY);
  const R = 0.5 + 0.5 * Math.exp(-age / halfLifeDays);
  return Math.round(1000 * (1 - Math.exp((-S * R) / 8))) / 10;
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n).map((_, i) => i);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]!]!;
      x = this.parent[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

interface Prepared {
  vec: SparseVector;
  top: string[];
  places: PlaceMention[];
  placeNames: Set<string>;
}

function topTerms(v: SparseVector, k: number): string[] {
  return [...v.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([t]) => t);
}

const located = (it: HotItem) => typeof it.lon === 'number' && typeof it.lat === 'number';

function samePlace(a: HotItem, pa: Prepared, b: HotItem, pb: Prepared, radius: number): boolean {
  if (a.areaKey && a.areaKey === b.areaKey) return true;
  if (located(a) && located(b) && haversineMetres(a.lon!, a.lat!, b.lon!, b.lat!) <= radius) return true;
  for (const p of pa.placeNames) if (pb.placeNames.has(p)) return true;
  return false;
}

/** Clusters the items and ranks the clusters by hot index (highest first). */
export function findHotIssues(items: readonly HotItem[], deps: HotDeps, params: HotParams): HotIssue[] {
  const n = items.length;
  const df = new DocFreq();
  const tokens = items.map((it) => deps.tokenize(`${it.title} ${it.title} ${it.body}`).filter((t) => [...t].length >= 2));
  for (const t of tokens) df.add(t);
  const idf = (t: string) => df.idf(t);
  const prepared: Prepared[] = items.map((it, i) => {
    const vec = tfidf(tokens[i]!, idf);
    // The title names the place most reliably; the body adds the rest.
    const places = [...extractPlaces(it.title, deps.cut, 3), ...extractPlaces(it.body, deps.cut, 4)];
    return { vec, top: topTerms(vec, 8), places, placeNames: new Set(places.flatMap((p) => (p.name ? [p.name] : []))) };
  });

  // Inverted index: top terms and place names → items.
  const postings = new Map<string, number[]>();
  const post = (key: string, i: number) => {
    const l = postings.get(key);
    if (l) l.push(i);
    else postings.set(key, [i]);
  };
  prepared.forEach((p, i) => {
    for (const t of p.top) post(`t:${t}`, i);
    for (const name of p.placeNames) post(`p:${name}`, i);
    if (items[i]!.areaKey) post(`a:${items[i]!.areaKey}`, i);
  });

  const uf = new UnionFind(n);
  const windowMs = params.windowDays * DAY;
  for (let i = 0; i < n; i++) {
    const seen = new Set<number>();
    const keys = [...prepared[i]!.top.map((t) => `t:${t}`), ...[...prepared[i]!.placeNames].map((p) => `p:${p}`), ...(items[i]!.areaKey ? [`a:${items[i]!.areaKey}`] : [])];
    for (const key of keys) {
      const list = postings.get(key)!;
      // Very common keys carry no signal and would make the pass quadratic.
      if (list.length > 400) continue;
      for (const j of list) {
        if (j <= i || seen.has(j)) continue;
        seen.add(j);
        if (Math.abs(items[i]!.time - items[j]!.time) > windowMs) continue;
        const c = cosine(prepared[i]!.vec, prepared[j]!.vec);
        if (c >= params.linkCosine || (c >= params.placeLinkCosine && samePlace(items[i]!, prepared[i]!, items[j]!, prepared[j]!, params.placeRadiusMetres))) {
          uf.union(i, j);
        }
      }
    }
    if (deps.onProgress && (i % 200 === 0 || i === n - 1)) deps.onProgress(i + 1, n);
  }

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }

  const issues: HotIssue[] = [];
  for (const members of groups.values()) {
    const its = members.map((i) => items[i]!);
    const stats = hotStats(its);
    if (members.length < params.minMessages && stats.support < params.singleSupport) continue;
    issues.push(describe(members, items, prepared, stats, params));
  }
  return issues.sort((a, b) => b.hotIndex - a.hotIndex || b.messages - a.messages || a.timeRange.from - b.timeRange.from);
}

function describe(members: number[], items: readonly HotItem[], prepared: readonly Prepared[], stats: HotStats, params: HotParams): HotIssue {
  // Centroid of the cluster's vectors: its keywords, and the message closest to it.
  const centroid: SparseVector = new Map();
  for (const i of members) for (const [t, w] of prepared[i]!.vec) centroid.set(t, (centroid.get(t) ?? 0) + w / members.length);

  // The place: the named place most messages mention (title mentions count double); ties → longer.
  const votes = new Map<string, { n: number; p: PlaceMention }>();
  for (const i of members) {
    const mentioned = new Set<string>();
    prepared[i]!.places.forEach((p, k) => {
      const key = p.name ?? p.admin ?? '';
      if (!key || mentioned.has(key)) return;
      mentioned.add(key);
      const v = votes.get(key) ?? { n: 0, p };
      v.n += (k < 3 ? 2 : 1) * (p.name ? 1 : 0.3);
      if (!v.p.admin && p.admin) v.p = p;
      votes.set(key, v);
    });
  }
  const best = [...votes.values()].sort((a, b) => b.n - a.n || (b.p.name?.length ?? 0) - (a.p.name?.length ?? 0))[0];
  const areaNames = new Map<string, number>();
  for (const i of members) {
    const a = items[i]!.areaName;
    if (a) areaNames.set(a, (areaNames.get(a) ?? 0) + 1);
  }
  const topArea = [...areaNames.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const place = best ? placeLabel(best.p) : topArea;

  const placeChars = place ?? '';
  const keywords = topTerms(centroid, 12)
    .filter((t) => !placeChars.includes(t) && !VAGUE.has(t) && !/^[a-z]?\d+/.test(t))
    .slice(0, 4);
  let rep = members[0]!;
  let repScore = -1;
  for (const i of members) {
    const s = cosine(prepared[i]!.vec, centroid);
    if (s > repScore) {
      repScore = s;
      rep = i;
    }
  }
  const title = items[rep]!.title.trim() || items[rep]!.body.slice(0, 40);
  const description =
    members.length > 1 ? `${title}（${stats.requesters} 人反映 ${members.length} 条，支持 ${stats.support}）` : `${title}（支持 ${stats.support}）`;

  const withPoint = members.map((i) => items[i]!).filter(located);
  const center = withPoint.length
    ? { lon: withPoint.reduce((s, it) => s + it.lon!, 0) / withPoint.length, lat: withPoint.reduce((s, it) => s + it.lat!, 0) / withPoint.length }
    : null;
  const areaKeys = new Map<string, number>();
  for (const i of members) {
    const a = items[i]!.areaKey;
    if (a) areaKeys.set(a, (areaKeys.get(a) ?? 0) + 1);
  }
  const ordered = [...members].sort((a, b) => items[a]!.time - items[b]!.time || (items[a]!.id < items[b]!.id ? -1 : 1));
  return {
    hotIndex: hotIndex(stats, params.now, params.halfLifeDays),
    label: [place, keywords.slice(0, 3).join('、')].filter(Boolean).join(' · '),
    place,
    keywords,
    title,
    description,
    messageIds: ordered.map((i) => items[i]!.id),
    timeRange: { from: items[ordered[0]!]!.time, to: items[ordered[ordered.length - 1]!]!.time },
    messages: members.length,
    requesters: stats.requesters,
    support: stats.support,
    spanDays: Math.round(stats.spanDays * 10) / 10,
    areaKey: [...areaKeys.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null,
    areaName: topArea,
    center,
  };
}

/**
 * 主动治理: repeat complaints at one place. An issue becomes a proactive task for its grid cell
 * when at least `minMessages` tickets from at least `minRequesters` people name the same cell
 * within `withinDays` (defaults 3, 2 and 30 days: the same problem reported three times in a
 * month by different neighbours is a pattern, not an incident).
 */
export function isRepeatComplaint(issue: Pick<HotIssue, 'messages' | 'requesters' | 'spanDays' | 'areaKey'>, rule = { minMessages: 3, minRequesters: 2, withinDays: 30 }): boolean {
  return issue.areaKey !== null && issue.messages >= rule.minMessages && issue.requesters >= rule.minRequesters && issue.spanDays <= rule.withinDays;
}
