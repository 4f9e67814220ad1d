/**
 * Checks on area geometry coming from an untrusted file (a clerk's GeoJSON export from a map
 * tool). Every problem has a code for programs and a sentence in Chinese and English for the
 * person who has to fix the file. Nothing here throws, whatever the input.
 *
 * `at.polygon` and `at.ring` are 0-based (ring 0 is the outer boundary, ring k the k-th hole);
 * the sentences count from 1, as people do.
 */
import Flatbush from 'flatbush';
import {
  areaSquareMeters,
  bboxOf,
  intersectGeometries,
  type AreaGeometry,
  type BBox,
  type Position,
} from './geometry';

export const GEOMETRY_PROBLEM_CODES = [
  'invalid_type',
  'too_few_points',
  'ring_not_closed',
  'coordinate_out_of_range',
  'non_numeric_coordinate',
  'self_intersection',
  'overlaps_sibling',
  'empty',
] as const;
export type GeometryProblemCode = (typeof GEOMETRY_PROBLEM_CODES)[number];

export type GeometryProblem = {
  code: GeometryProblemCode;
  zh: string;
  en: string;
  at?: { ring?: number; polygon?: number; position?: Position };
};

export type GeometryValidation = { ok: true; geometry: AreaGeometry } | { ok: false; problems: GeometryProblem[] };

/** Reports beyond this many are dropped (a broken file can have a million bad points). */
const MAX_PROBLEMS = 50;
const MAX_INTERSECTION_PROBLEMS = 10;

// ---- wording ---------------------------------------------------------------------------------

type Where = { polygon: number; multi: boolean; ring: number };

function ringZh(w: Where): string {
  const polygon = w.multi ? `第 ${w.polygon + 1} 个多边形的` : '';
  return polygon + (w.ring === 0 ? '外边界' : `第 ${w.ring} 个内洞`);
}
function ringEn(w: Where): string {
  const ring = w.ring === 0 ? 'the outer boundary' : `hole ${w.ring}`;
  return w.multi ? `${ring} of polygon ${w.polygon + 1}` : ring;
}
function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
function fmt(p: Position): string {
  return `${Number(p[0].toFixed(6))}, ${Number(p[1].toFixed(6))}`;
}
function describeValue(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 40 ? `${s.slice(0, 37)}...` : s;
  } catch {
    return typeof v;
  }
}

// ---- structure ----------------------------------------------------------------------------------

class Problems {
  readonly list: GeometryProblem[] = [];
  add(p: GeometryProblem): void {
    if (this.list.length < MAX_PROBLEMS) this.list.push(p);
  }
  get full(): boolean {
    return this.list.length >= MAX_PROBLEMS;
  }
}

export function validateAreaGeometry(input: unknown): GeometryValidation {
  try {
    return validateUnsafe(input);
  } catch {
    // Defensive only: the checks below are written not to throw.
    return {
      ok: false,
      problems: [
        {
          code: 'invalid_type',
          zh: '无法读取这个图形，请确认文件是 GeoJSON 格式的 Polygon 或 MultiPolygon。',
          en: 'This shape could not be read. Please check the file is a GeoJSON Polygon or MultiPolygon.',
        },
      ],
    };
  }
}

function validateUnsafe(input: unknown): GeometryValidation {
  const problems = new Problems();
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    problems.add({
      code: 'invalid_type',
      zh: '内容不是一个几何图形：需要 GeoJSON 的 Polygon（多边形）或 MultiPolygon（多个多边形）。',
      en: 'This is not a shape: expected a GeoJSON Polygon or MultiPolygon.',
    });
    return { ok: false, problems: problems.list };
  }
  const type = (input as { type?: unknown }).type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    const hintZh =
      type === 'Feature' || type === 'FeatureCollection' ? '（收到的是要素，请取出其中 geometry 部分的图形）' : '';
    const hintEn =
      type === 'Feature' || type === 'FeatureCollection' ? ' (this is a feature; use its "geometry" member)' : '';
    problems.add({
      code: 'invalid_type',
      zh: `图形类型 ${describeValue(type)} 不受支持，只接受 Polygon（多边形）或 MultiPolygon（多个多边形）${hintZh}。`,
      en: `Shape type ${describeValue(type)} is not supported; only Polygon or MultiPolygon is accepted${hintEn}.`,
    });
    return { ok: false, problems: problems.list };
  }
  const coordinates = (input as { coordinates?: unknown }).coordinates;
  if (!Array.isArray(coordinates)) {
    problems.add({
      code: 'invalid_type',
      zh: '图形缺少坐标列表（coordinates）。',
      en: 'The shape has no coordinate list ("coordinates").',
    });
    return { ok: false, problems: problems.list };
  }
  if (coordinates.length === 0) {
    problems.add({ code: 'empty', zh: '图形没有任何坐标点。', en: 'The shape has no coordinates.' });
    return { ok: false, problems: problems.list };
  }

  const multi = type === 'MultiPolygon';
  const rawPolygons: unknown[] = multi ? coordinates : [coordinates];
  const polygons: Position[][][] = [];
  rawPolygons.forEach((rawPolygon, polygonIndex) => {
    if (problems.full) return;
    const polygon = readPolygon(rawPolygon, polygonIndex, multi, problems);
    if (polygon) polygons.push(polygon);
  });
  if (problems.list.length > 0) return { ok: false, problems: problems.list };

  checkIntersections(polygons, multi, problems);
  if (problems.list.length > 0) return { ok: false, problems: problems.list };

  const geometry: AreaGeometry = multi
    ? { type: 'MultiPolygon', coordinates: polygons }
    : { type: 'Polygon', coordinates: polygons[0]! };
  return { ok: true, geometry };
}

function readPolygon(raw: unknown, polygon: number, multi: boolean, problems: Problems): Position[][] | undefined {
  const polygonZh = multi ? `第 ${polygon + 1} 个多边形` : '多边形';
  const polygonEn = multi ? `Polygon ${polygon + 1}` : 'The polygon';
  if (!Array.isArray(raw)) {
    problems.add({
      code: 'invalid_type',
      zh: `${polygonZh}的结构不正确：应为由边界组成的列表。`,
      en: `${polygonEn} is malformed: expected a list of rings.`,
      at: { polygon },
    });
    return undefined;
  }
  if (raw.length === 0) {
    problems.add({
      code: 'empty',
      zh: `${polygonZh}没有任何边界。`,
      en: `${polygonEn} has no boundary.`,
      at: { polygon },
    });
    return undefined;
  }
  const rings: Position[][] = [];
  let ok = true;
  raw.forEach((rawRing, ring) => {
    if (problems.full) return;
    const read = readRing(rawRing, { polygon, multi, ring }, problems);
    if (read) rings.push(read);
    else ok = false;
  });
  return ok ? rings : undefined;
}

function readRing(raw: unknown, where: Where, problems: Problems): Position[] | undefined {
  const at = { polygon: where.polygon, ring: where.ring };
  if (!Array.isArray(raw)) {
    problems.add({
      code: 'invalid_type',
      zh: `${ringZh(where)}的结构不正确：应为坐标点列表。`,
      en: `${capitalize(ringEn(where))} is malformed: expected a list of points.`,
      at,
    });
    return undefined;
  }
  const ring: Position[] = [];
  let ok = true;
  for (let i = 0; i < raw.length; i++) {
    if (problems.full) return undefined;
    const p: unknown = raw[i];
    const pointZh = `${ringZh(where)}第 ${i + 1} 个点`;
    const pointEn = `Point ${i + 1} of ${ringEn(where)}`;
    if (
      !Array.isArray(p) ||
      p.length < 2 ||
      typeof p[0] !== 'number' ||
      typeof p[1] !== 'number' ||
      !Number.isFinite(p[0]) ||
      !Number.isFinite(p[1])
    ) {
      problems.add({
        code: 'non_numeric_coordinate',
        zh: `${pointZh}的坐标无效（收到 ${describeValue(p)}），应为“经度, 纬度”两个数字。`,
        en: `${pointEn} is not a valid coordinate (got ${describeValue(p)}); expected two numbers: longitude, latitude.`,
        at,
      });
      ok = false;
      continue;
    }
    const lon = p[0];
    const lat = p[1];
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
      const swapped = Math.abs(lon) <= 90 && Math.abs(lat) <= 180;
      problems.add({
        code: 'coordinate_out_of_range',
        zh:
          `${pointZh}超出范围（收到 ${lon}, ${lat}）：经度应在 -180 到 180 之间，纬度应在 -90 到 90 之间。` +
          (swapped ? '可能把经度和纬度写反了。' : ''),
        en:
          `${pointEn} is out of range (got ${lon}, ${lat}): longitude must be within -180..180 and latitude within -90..90.` +
          (swapped ? ' Longitude and latitude may be swapped.' : ''),
        at: { ...at, position: [lon, lat] },
      });
      ok = false;
      continue;
    }
    ring.push([lon, lat]);
  }
  if (!ok) return undefined;
  if (ring.length < 4) {
    problems.add({
      code: 'too_few_points',
      zh: `${ringZh(where)}只有 ${ring.length} 个点；一条闭合边界至少需要 4 个点（最后一个点与第一个点相同）。`,
      en: `${capitalize(ringEn(where))} has only ${ring.length} points; a closed ring needs at least 4 (the last repeating the first).`,
      at,
    });
    return undefined;
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    problems.add({
      code: 'ring_not_closed',
      zh: `${ringZh(where)}没有闭合：最后一个点（${fmt(last)}）应与第一个点（${fmt(first)}）完全相同。`,
      en: `${capitalize(ringEn(where))} is not closed: the last point (${fmt(last)}) must equal the first (${fmt(first)}).`,
      at: { ...at, position: last },
    });
    return undefined;
  }
  if (distinctVertexCount(ring) < 3) {
    problems.add({
      code: 'too_few_points',
      zh: `${ringZh(where)}不足 3 个不同的点，围不成一块区域。`,
      en: `${capitalize(ringEn(where))} has fewer than 3 distinct points and encloses no area.`,
      at,
    });
    return undefined;
  }
  return ring;
}

function distinctVertexCount(ring: Position[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < ring.length - 1; i++) seen.add(`${ring[i]![0]},${ring[i]![1]}`);
  return seen.size;
}

// ---- self-intersection ---------------------------------------------------------------------------

type Segment = {
  ax: number;
  ay: number;
  bx: number;
  by: number;
  polygon: number;
  ring: number;
  /** position of the segment in its ring, after dropping zero-length segments */
  seq: number;
  ringSegments: number;
};

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function onSegment(ax: number, ay: number, bx: number, by: number, px: number, py: number): boolean {
  return (
    Math.min(ax, bx) <= px && px <= Math.max(ax, bx) && Math.min(ay, by) <= py && py <= Math.max(ay, by)
  );
}

type Contact =
  | { kind: 'none' }
  | { kind: 'touch'; at: Position }
  | { kind: 'cross'; at: Position }
  | { kind: 'overlap'; at: Position };

function contact(s: Segment, t: Segment): Contact {
  const d1 = orient(t.ax, t.ay, t.bx, t.by, s.ax, s.ay);
  const d2 = orient(t.ax, t.ay, t.bx, t.by, s.bx, s.by);
  const d3 = orient(s.ax, s.ay, s.bx, s.by, t.ax, t.ay);
  const d4 = orient(s.ax, s.ay, s.bx, s.by, t.bx, t.by);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const r = d1 / (d1 - d2);
    return { kind: 'cross', at: [s.ax + r * (s.bx - s.ax), s.ay + r * (s.by - s.ay)] };
  }
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // Collinear: compare the projections on the longer axis.
    const useX = Math.abs(s.bx - s.ax) + Math.abs(t.bx - t.ax) >= Math.abs(s.by - s.ay) + Math.abs(t.by - t.ay);
    const s0 = useX ? Math.min(s.ax, s.bx) : Math.min(s.ay, s.by);
    const s1 = useX ? Math.max(s.ax, s.bx) : Math.max(s.ay, s.by);
    const t0 = useX ? Math.min(t.ax, t.bx) : Math.min(t.ay, t.by);
    const t1 = useX ? Math.max(t.ax, t.bx) : Math.max(t.ay, t.by);
    const lo = Math.max(s0, t0);
    const hi = Math.min(s1, t1);
    if (lo > hi) return { kind: 'none' };
    const pick = (v: number): Position => {
      for (const [x, y] of [
        [s.ax, s.ay],
        [s.bx, s.by],
        [t.ax, t.ay],
        [t.bx, t.by],
      ] as const) {
        if ((useX ? x : y) === v) return [x, y];
      }
      return [s.ax, s.ay];
    };
    return lo === hi ? { kind: 'touch', at: pick(lo) } : { kind: 'overlap', at: pick(lo) };
  }
  if (d1 === 0 && onSegment(t.ax, t.ay, t.bx, t.by, s.ax, s.ay)) return { kind: 'touch', at: [s.ax, s.ay] };
  if (d2 === 0 && onSegment(t.ax, t.ay, t.bx, t.by, s.bx, s.by)) return { kind: 'touch', at: [s.bx, s.by] };
  if (d3 === 0 && onSegment(s.ax, s.ay, s.bx, s.by, t.ax, t.ay)) return { kind: 'touch', at: [t.ax, t.ay] };
  if (d4 === 0 && onSegment(s.ax, s.ay, s.bx, s.by, t.bx, t.by)) return { kind: 'touch', at: [t.bx, t.by] };
  return { kind: 'none' };
}

/**
 * Segment-intersection test over all rings, using a Flatbush index of segment boxes so a
 * 2,000-point ring costs a few thousand box queries rather than four million pairs.
 *
 * - within one ring, non-neighbouring segments may not meet at all, and neighbours may not fold
 *   back over each other;
 * - different rings (a hole and its outer boundary, or two parts of a MultiPolygon) may touch at
 *   a point but not cross or run along each other.
 */
function checkIntersections(polygons: Position[][][], multi: boolean, problems: Problems): void {
  const segments: Segment[] = [];
  polygons.forEach((rings, polygon) => {
    rings.forEach((ring, ringIndex) => {
      const start = segments.length;
      for (let i = 0; i + 1 < ring.length; i++) {
        const a = ring[i]!;
        const b = ring[i + 1]!;
        if (a[0] === b[0] && a[1] === b[1]) continue; // repeated point
        segments.push({
          ax: a[0], ay: a[1], bx: b[0], by: b[1],
          polygon, ring: ringIndex, seq: segments.length - start, ringSegments: 0,
        });
      }
      const count = segments.length - start;
      for (let k = start; k < segments.length; k++) segments[k]!.ringSegments = count;
    });
  });
  if (segments.length < 2) return;

  const index = new Flatbush(segments.length);
  for (const s of segments) {
    index.add(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by));
  }
  index.finish();

  let reported = 0;
  for (let i = 0; i < segments.length && reported < MAX_INTERSECTION_PROBLEMS; i++) {
    const s = segments[i]!;
    const hits = index.search(
      Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by),
    );
    hits.sort((a, b) => a - b);
    for (const j of hits) {
      if (j <= i) continue;
      const t = segments[j]!;
      const c = contact(s, t);
      if (c.kind === 'none') continue;
      const sameRing = s.polygon === t.polygon && s.ring === t.ring;
      let bad: boolean;
      if (sameRing) {
        const n = s.ringSegments;
        const neighbours = t.seq === s.seq + 1 || (s.seq === 0 && t.seq === n - 1);
        bad = neighbours ? c.kind === 'overlap' : true;
      } else {
        bad = c.kind !== 'touch';
      }
      if (!bad) continue;
      const wa: Where = { polygon: s.polygon, multi, ring: s.ring };
      const wb: Where = { polygon: t.polygon, multi, ring: t.ring };
      const what = c.kind === 'overlap' ? { zh: '有重叠的边', en: 'runs back over itself' } : { zh: '边界线交叉', en: 'crosses itself' };
      problems.add(
        sameRing
          ? {
              code: 'self_intersection',
              zh: `${ringZh(wa)}在 ${fmt(c.at)} 附近${what.zh}（自相交）。请在地图软件中修正这里的边界后重新导入。`,
              en: `${capitalize(ringEn(wa))} ${what.en} near ${fmt(c.at)}. Please fix the boundary there in your map tool and import again.`,
              at: { polygon: s.polygon, ring: s.ring, position: c.at },
            }
          : {
              code: 'self_intersection',
              zh: `${ringZh(wa)}与${ringZh(wb)}在 ${fmt(c.at)} 附近${c.kind === 'overlap' ? '有重叠的边' : '交叉'}。请在地图软件中修正后重新导入。`,
              en: `${capitalize(ringEn(wa))} and ${ringEn(wb)} ${c.kind === 'overlap' ? 'share an overlapping edge' : 'cross each other'} near ${fmt(c.at)}. Please fix this in your map tool and import again.`,
              at: { polygon: s.polygon, ring: s.ring, position: c.at },
            },
      );
      reported++;
      if (reported >= MAX_INTERSECTION_PROBLEMS) break;
    }
  }
}

// ---- siblings ------------------------------------------------------------------------------------

export type SiblingOverlap = { a: string; b: string; areaM2: number };

/**
 * Pairs of sibling areas (e.g. the communities of one subdistrict) whose overlap is larger than
 * `toleranceM2`. Shared borders are fine. Boxes are compared first, so only neighbours are clipped.
 * If the clipping library fails on a pair, the pair is reported with `areaM2: NaN` so a person
 * looks at it rather than it passing silently.
 */
export function findSiblingOverlaps(
  items: readonly { key: string; geometry: AreaGeometry }[],
  toleranceM2 = 1,
): SiblingOverlap[] {
  if (items.length < 2) return [];
  const boxes: BBox[] = items.map((it) => bboxOf(it.geometry));
  const index = new Flatbush(items.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  const out: SiblingOverlap[] = [];
  for (let i = 0; i < items.length; i++) {
    const bi = boxes[i]!;
    const hits = index.search(bi[0], bi[1], bi[2], bi[3]).sort((a, b) => a - b);
    for (const j of hits) {
      if (j <= i) continue;
      const bj = boxes[j]!;
      // Boxes that only touch cannot hold an overlap of positive area.
      if (!(bi[0] < bj[2] && bj[0] < bi[2] && bi[1] < bj[3] && bj[1] < bi[3])) continue;
      let areaM2: number;
      try {
        areaM2 = areaSquareMeters(intersectGeometries(items[i]!.geometry, items[j]!.geometry));
      } catch {
        areaM2 = Number.NaN;
      }
      if (!(areaM2 <= toleranceM2)) out.push({ a: items[i]!.key, b: items[j]!.key, areaM2 });
    }
  }
  return out;
}

/** The problem to show a clerk for one overlap found by `findSiblingOverlaps`. */
export function siblingOverlapProblem(overlap: SiblingOverlap): GeometryProblem {
  const area = Number.isFinite(overlap.areaM2) ? `${Math.round(overlap.areaM2)}` : '?';
  return {
    code: 'overlaps_sibling',
    zh: `“${overlap.a}”与“${overlap.b}”的范围重叠约 ${area} 平方米。同一上级下的区域不能重叠，请调整边界。`,
    en: `"${overlap.a}" and "${overlap.b}" overlap by about ${area} m². Areas under the same parent must not overlap; please adjust the boundaries.`,
  };
}
