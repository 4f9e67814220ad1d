/**
 * The SQL of ticket statistics (三率 and friends). Every figure is counted from the append-only
 * `ticket_events` log — never from the projection columns of `tickets` (status, accepted_at,
 * rating …), which are rewritten as a ticket moves on. From `tickets` only the request's own
 * attributes are read (area, category, channel, type), to group and to scope.
 *
 * Every query is scoped in SQL: `t.area_path LIKE $scope || '%'` (the summary: its area path),
 * and for a department-bound handler also "attributed to this unit", so a forgotten check in the
 * service cannot leak another street's figures. Plain SQL for PostgreSQL 15+ and PGlite: window
 * aggregates with FILTER, LATERAL, GROUPING SETS; no extensions, no time-zone database (a
 * Shanghai day is UTC + 8 h, see core/rates.ts).
 *
 * What counts, for the events in [from, to) — one pass over each concerned ticket's log:
 *   dispatches  dispatched + reopened → 响应率 (its first `accepted` before the next dispatch is
 *               at ≤ data.acceptDueAt), return rate (a `returned` before the next dispatch)
 *   replies     replied + answered_directly → 解决率 (resolution 'resolved'), on-time rate
 *               (at ≤ the dueAt of the latest dispatched / reopened / extension_decided before it;
 *               a direct answer has none and is left out)
 *   follow-ups  followed_up → 满意率 (satisfied, basically satisfied ÷ rated other than
 *               unreachable), reopen rate (the ticket's next follow-up-or-reopen is a reopen)
 *   received    received
 * A rate's numerator is always a subset of its own denominator (a dispatch that was then
 * returned, a follow-up that was then reopened), so no period boundary can push it over 100 %.
 *
 * Attribution to a unit: a dispatch to its lead unit (the event's `unit`; a reopen without one
 * goes back to the lead unit of the dispatch before it), a reply to the replying unit (a direct
 * answer to none), a follow-up and a reopen-after-follow-up to the unit whose reply was judged.
 *
 * The same pass, grouped by local day × subdistrict × every dimension at once (GROUPING SETS),
 * fills the daily summary `ticket_stats_daily` (migration 0005): long periods are read from it,
 * the days after its last refresh are counted live. See stats.ts.
 */
import type { Queryable, Tx } from '../../shared/db';

export const STAT_DIMENSIONS = ['unit', 'subdistrict', 'community', 'category', 'channel', 'type'] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

export interface StatsFilter {
  districtCode: string;
  /** area path prefix the tickets must lie in */
  scope: string;
  /** only figures attributed to this unit ('department:…'), or null for every unit */
  unit: string | null;
  /** [from, to) as ISO instants */
  from: string;
  to: string;
}

export const COUNTERS = [
  'dispatched',
  'accepted_in_time',
  'returned',
  'replies',
  'resolved',
  'with_due',
  'on_time',
  'followed_up',
  'rated',
  'satisfied',
  'reopened',
  'received',
  'call_reports',
  'call_reports_late',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type CountRow = { key: string | null } & Record<Counter, number>;

/** Grouping columns of a fact: the ticket's own attributes, and the unit the fact is attributed to. */
const KEY: Record<StatDimension, string> = {
  unit: 'f.unit',
  subdistrict: 'f.subdistrict_code',
  community: 'f.community_code',
  category: 'f.category_code',
  channel: 'f.channel',
  type: 'f.type',
};

const DISPATCH_KINDS = `('dispatched', 'reopened')`;
const REPLY_KINDS = `('replied', 'answered_directly')`;
/** Kinds whose own day a figure is counted on. */
const COUNTED_KINDS = `('received', 'dispatched', 'reopened', 'replied', 'answered_directly', 'followed_up', 'call_reported')`;

/** Every kind, so "any event since" can use the (district_code, kind, at) index. */
const ALL_KINDS = `ARRAY['received', 'dispatched', 'answered_directly', 'accepted', 'returned', 'extension_requested', 'extension_decided',
  'replied', 'followed_up', 'reopened', 'urged', 'supervised', 'merged', 'merge_absorbed', 'units_called', 'call_reported']`;

/** The local (Asia/Shanghai, UTC+8 all year) calendar day of an instant. */
const localDay = (at: string) => `((${at} AT TIME ZONE 'UTC') + interval '8 hours')::date`;
/**
 * The ticket's area path cut at the subdistrict level: the finest scope the summary keeps (finer
 * cuts multiply its rows without making anything faster: a community's figures are few enough
 * to count live).
 */
const SUMMARY_PATH = `substring(f.area_path from '^(?:/[^/]+){1,2}/')`;
/**
 * Which events to fold. Every ticket with a counted event in the period is folded whole (its
 * later acceptance, its earlier deadline); 'touched' finds those tickets through the period's
 * events (live figures, a few days of refresh), 'district' folds the whole log (a full refresh).
 */
export type Source = 'touched' | 'district';

/**
 * One fact row per counted event in [$3, $4): the ticket, the instant, the unit it is
 * attributed to, and 0/1 per counter.
 *
 * Each ticket's events are walked in seq order twice, with running aggregates only (no
 * self-joins): forwards, every row learns the latest event of each interesting kind before it —
 * the dispatch an acceptance answers (with its acceptDueAt), the due date in force at a reply,
 * the reply a follow-up judges; [seq, value] arrays compare by the zero-padded seq, so their max
 * is the latest. Backwards, every row learns the seq of the next dispatch, acceptance, return,
 * follow-up and reopen after it. So a dispatch was accepted in time when the first acceptance
 * after it (before the next dispatch) was in time for it, and returned when a return comes
 * before the next dispatch; a follow-up was overturned when a reopen comes before the next one.
 *
 * By unit (and for a unit-bound reader) a received ticket counts for each unit it was
 * dispatched to as lead, at any time: those rows carry `received_unit` instead of `received`.
 * Without `withUnits` nothing is attributed to a unit (cheaper, for groupings that need none).
 */
function factsSql(source: Source, withUnits: boolean): string {
  const FOLDED_KINDS = `('received', 'dispatched', 'reopened', 'accepted', 'returned', 'extension_decided', 'replied', 'answered_directly', 'followed_up', 'call_reported')`;
  // 'touched': the tickets of the period's events (in scope), then each one's whole log through
  // (ticket_id, seq) — index probes, not a scan of the whole log (OFFSET 0 keeps them probes).
  const events =
    source === 'touched'
      ? `(SELECT DISTINCT c.ticket_id FROM ticket_events c
            WHERE c.district_code = $1 AND c.kind IN ${COUNTED_KINDS} AND c.at >= $3::timestamptz AND c.at < $4::timestamptz OFFSET 0) AS tk
        CROSS JOIN LATERAL (SELECT t.area_path, t.subdistrict_code, t.community_code, t.category_code, t.channel, t.type FROM tickets t
            WHERE t.id = tk.ticket_id AND t.district_code = $1 AND t.area_path LIKE $2 || '%' OFFSET 0) AS t
        CROSS JOIN LATERAL (SELECT x.ticket_id, x.seq, x.kind, x.at, x.unit, x.data FROM ticket_events x
            WHERE x.ticket_id = tk.ticket_id AND x.district_code = $1 AND x.kind IN ${FOLDED_KINDS} OFFSET 0) AS e`
      : `ticket_events e JOIN tickets t ON t.id = e.ticket_id
      WHERE e.district_code = $1 AND e.kind IN ${FOLDED_KINDS} AND t.district_code = $1 AND t.area_path LIKE $2 || '%'`;
  const ATTRS = 'area_path, subdistrict_code, community_code, category_code, channel, type';
  const SEQ = `lpad(seq::text, 10, '0')`;
  const latest = (name: string, kinds: string, value: string) => `max(ARRAY[${SEQ}, ${value}]) FILTER (WHERE kind IN ${kinds}) OVER before AS ${name}`;
  const next = (name: string, condition: string) => `min(seq) FILTER (WHERE ${condition}) OVER after AS ${name}`;
  const NEVER = 2147483647;
  return `src AS (
      SELECT e.ticket_id, e.seq, e.kind, e.at, e.unit,
             e.data->>'acceptDueAt' AS accept_due, e.data->>'dueAt' AS due, e.data->>'resolution' AS resolution,
             e.data->>'rating' AS rating, (e.data->>'viaMergeOf') IS NOT NULL AS via_merge,
             coalesce((e.data->>'late')::boolean, false) AS late,
             t.area_path, t.subdistrict_code, t.community_code, t.category_code, t.channel, t.type
        FROM ${events}
    ), forwards AS (
      SELECT ticket_id, seq, kind, at, unit, resolution, rating, via_merge, late, ${ATTRS},
             ${latest('answered_dispatch', DISPATCH_KINDS, 'accept_due')},
             ${latest('due_in_force', `('dispatched', 'reopened', 'extension_decided')`, 'due')},
             ${
               withUnits
                 ? `${latest('judged_reply', REPLY_KINDS, 'unit')},
             ${latest('earlier_dispatched', `('dispatched')`, 'unit')},
             array_agg(unit) FILTER (WHERE kind IN ${DISPATCH_KINDS} AND unit IS NOT NULL) OVER whole AS lead_units`
                 : 'NULL::text[] AS judged_reply, NULL::text[] AS earlier_dispatched, NULL::text[] AS lead_units'
             }
        FROM src
      WINDOW before AS (PARTITION BY ticket_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
             whole AS (PARTITION BY ticket_id ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), backwards AS (
      SELECT f.*,
             ${next('next_dispatch', `kind IN ${DISPATCH_KINDS}`)},
             ${next('next_accepted', `kind = 'accepted'`)},
             ${next('next_accepted_in_time', `kind = 'accepted' AND at <= answered_dispatch[2]::timestamptz`)},
             ${next('next_returned', `kind = 'returned'`)},
             ${next('next_follow_up', `kind = 'followed_up'`)},
             ${next('next_reopened', `kind = 'reopened'`)}
        FROM forwards f
       WINDOW after AS (PARTITION BY ticket_id ORDER BY seq DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ), counted AS MATERIALIZED (
      SELECT * FROM backwards
       WHERE kind IN ${COUNTED_KINDS} AND at >= $3::timestamptz AND at < $4::timestamptz
         -- a reply copied onto the tickets merged into this one is the same act: counted once
         AND NOT (kind = 'replied' AND via_merge)
    ), facts AS (
      SELECT at, ${ATTRS},
             CASE WHEN kind IN ${DISPATCH_KINDS} THEN coalesce(unit, earlier_dispatched[2])
                  WHEN kind IN ${REPLY_KINDS} THEN unit
                  WHEN kind = 'followed_up' THEN judged_reply[2]
                  WHEN kind = 'call_reported' THEN unit END AS unit,
             (kind IN ${DISPATCH_KINDS})::int AS dispatched,
             coalesce(kind IN ${DISPATCH_KINDS} AND next_accepted_in_time = next_accepted
                      AND next_accepted < coalesce(next_dispatch, ${NEVER}), false)::int AS accepted_in_time,
             coalesce(kind IN ${DISPATCH_KINDS} AND next_returned < coalesce(next_dispatch, ${NEVER}), false)::int AS returned,
             (kind IN ${REPLY_KINDS})::int AS replies,
             coalesce(kind IN ${REPLY_KINDS} AND resolution = 'resolved', false)::int AS resolved,
             (kind IN ${REPLY_KINDS} AND due_in_force[2] IS NOT NULL)::int AS with_due,
             coalesce(kind IN ${REPLY_KINDS} AND at <= due_in_force[2]::timestamptz, false)::int AS on_time,
             (kind = 'followed_up')::int AS followed_up,
             coalesce(kind = 'followed_up' AND rating <> 'unreachable', false)::int AS rated,
             coalesce(kind = 'followed_up' AND rating IN ('satisfied', 'basically_satisfied'), false)::int AS satisfied,
             coalesce(kind = 'followed_up' AND next_reopened < coalesce(next_follow_up, ${NEVER}), false)::int AS reopened,
             (kind = 'received')::int AS received,
             (kind = 'call_reported')::int AS call_reports,
             (kind = 'call_reported' AND late)::int AS call_reports_late,
             0 AS received_unit
        FROM counted
      ${
        withUnits
          ? `UNION ALL
      SELECT at, ${ATTRS}, lead.unit, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
        FROM counted c CROSS JOIN LATERAL (SELECT DISTINCT u FROM unnest(c.lead_units) AS u) AS lead(unit)
       WHERE c.kind = 'received'`
          : ''
      }
    )`;
}

const FACT_COUNTERS = [...COUNTERS, 'received_unit'] as const;
const sums = FACT_COUNTERS.map((c) => `coalesce(sum(f.${c}), 0)::int AS ${c}`).join(',\n           ');

/**
 * Settings for the fold, for its transaction only: room to sort a stretch of the log in memory,
 * and no JIT compilation — PostgreSQL's cost estimates for these queries call for it, and
 * compiling takes longer than the query (PGlite has no JIT; the setting is accepted and moot).
 */
async function tuneFold(tx: Tx, workMem: string): Promise<void> {
  await tx.query(`SET LOCAL work_mem = '${workMem}'`);
  await tx.query(`SET LOCAL jit = off`);
}

/** $1 district, $2 scope, $3 from, $4 to, $5 unit (or null). */
const params = (f: StatsFilter) => [f.districtCode, f.scope, f.from, f.to, f.unit];

/**
 * Every figure of [from, to) in one pass, one row per key of `by`. `received` is the per-key
 * count of received tickets; when the rows are units (or the reader is unit-bound) it is the
 * tickets dispatched to the unit, and `totalReceived` counts each ticket once.
 */
export async function countFigures(tx: Tx, f: StatsFilter, by: StatDimension): Promise<{ rows: CountRow[]; totalReceived: number }> {
  const perUnit = by === 'unit' || f.unit !== null;
  await tuneFold(tx, '32MB');
  const rows = await tx.query<CountRow & { received_unit: number }>(
    `WITH ${factsSql('touched', perUnit)}
    SELECT ${KEY[by]} AS key,
           ${sums}
      FROM facts f WHERE $5::text IS NULL OR f.unit = $5
     GROUP BY 1`,
    params(f),
  );
  const totalReceived = rows.reduce((n, r) => n + (f.unit !== null ? r.received_unit : r.received), 0);
  return {
    totalReceived,
    rows: rows
      .map(({ received_unit, ...r }) => ({ ...r, received: perUnit ? received_unit : r.received }))
      // a received ticket's own row has no unit: by unit it only feeds the total
      .filter((r) => COUNTERS.some((c) => r[c] !== 0)),
  };
}

// ---- the daily summary -----------------------------------------------------------------------

export interface SummaryState {
  /** the last local day the summary holds (YYYY-MM-DD) */
  through_day: string;
  /** events at or after this instant may change the held days; the next refresh looks at their tickets */
  watermark: string;
  refreshed_at: string;
}

export async function findSummaryState(q: Queryable, districtCode: string): Promise<SummaryState | undefined> {
  const [row] = await q.query<SummaryState & Record<string, unknown>>(
    `SELECT through_day::text AS through_day, watermark, refreshed_at FROM ticket_stats_refreshes WHERE district_code = $1`,
    [districtCode],
  );
  return row && { ...row, watermark: new Date(row.watermark).toISOString(), refreshed_at: new Date(row.refreshed_at).toISOString() };
}

export async function saveSummaryState(q: Queryable, districtCode: string, s: SummaryState): Promise<void> {
  await q.query(
    `INSERT INTO ticket_stats_refreshes (district_code, through_day, watermark, refreshed_at) VALUES ($1, $2::date, $3, $4)
     ON CONFLICT (district_code) DO UPDATE SET through_day = EXCLUDED.through_day, watermark = EXCLUDED.watermark, refreshed_at = EXCLUDED.refreshed_at`,
    [districtCode, s.through_day, s.watermark, s.refreshed_at],
  );
}

/** Figures for [fromDay, toDay) from the summary; the scope must be no finer than a subdistrict. */
export async function readSummary(
  q: Queryable,
  f: { districtCode: string; scope: string; unit: string | null; fromDay: string; toDay: string },
  by: StatDimension,
): Promise<CountRow[]> {
  return q.query<CountRow>(
    `SELECT key, ${COUNTERS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
       FROM ticket_stats_daily
      WHERE district_code = $1 AND dimension = $2 AND day >= $3::date AND day < $4::date
        AND area_path LIKE $5 || '%' AND ($6::text IS NULL OR key = $6)
      GROUP BY key`,
    [f.districtCode, by, f.fromDay, f.toDay, f.scope, f.unit],
  );
}

/** Local days (≤ `beforeDay`, exclusive) with counted events of tickets that have any event at or after `since`. */
export async function daysTouchedSince(q: Queryable, districtCode: string, since: string, beforeDay: string): Promise<string[]> {
  const rows = await q.query<{ day: string }>(
    `SELECT DISTINCT ${localDay('e.at')}::text AS day
       FROM ticket_events e
      WHERE e.district_code = $1 AND e.kind IN ${COUNTED_KINDS} AND ${localDay('e.at')} < $3::date
        AND e.ticket_id IN (SELECT c.ticket_id FROM ticket_events c WHERE c.district_code = $1 AND c.kind = ANY(${ALL_KINDS}) AND c.at >= $2::timestamptz)
      ORDER BY 1`,
    [districtCode, since, beforeDay],
  );
  return rows.map((r) => r.day);
}

/** The first local day with an event, or null for a district without tickets. */
export async function firstEventDay(q: Queryable, districtCode: string): Promise<string | null> {
  const [row] = await q.query<{ day: string | null }>(
    `SELECT ${localDay('e.at')}::text AS day FROM ticket_events e
      WHERE e.district_code = $1 AND e.kind = 'received' ORDER BY e.at LIMIT 1`,
    [districtCode],
  );
  return row?.day ?? null;
}

/**
 * Recomputes the summary rows of the local days [fromDay, toDay) from the events, district-wide:
 * the old rows of those days go, the new ones come from one pass grouped by day × subdistrict ×
 * every dimension (GROUPING SETS). `from`/`to` are the same days as instants. Runs inside a
 * transaction (q); returns the rows written.
 */
export async function rewriteSummaryDays(
  q: Tx,
  districtCode: string,
  days: { fromDay: string; toDay: string; from: string; to: string },
  source: Source,
): Promise<number> {
  await tuneFold(q, source === 'district' ? '512MB' : '64MB');
  // Two refreshes at once rewrite a day one after the other, never interleaved.
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('ticket_stats_daily:' || $1))`, [districtCode]);
  await q.query(`DELETE FROM ticket_stats_daily WHERE district_code = $1 AND day >= $2::date AND day < $3::date`, [
    districtCode,
    days.fromDay,
    days.toDay,
  ]);
  const day = localDay('f.at');
  const dimension = `CASE ${STAT_DIMENSIONS.map((d) => `WHEN GROUPING(${KEY[d]}) = 0 THEN '${d}'`).join(' ')} END`;
  const key = `CASE ${STAT_DIMENSIONS.map((d) => `WHEN GROUPING(${KEY[d]}) = 0 THEN ${KEY[d]}`).join(' ')} END`;
  const rows = await q.query<{ n: number }>(
    `WITH ${factsSql(source, true)},
    grouped AS (
      SELECT ${day} AS day, ${SUMMARY_PATH} AS area_path, ${dimension} AS dimension, ${key} AS key,
             ${sums}
        FROM facts f WHERE $5::text IS NULL
       GROUP BY GROUPING SETS (${STAT_DIMENSIONS.map((d) => `(${day}, ${SUMMARY_PATH}, ${KEY[d]})`).join(', ')})
    ), written AS (
      INSERT INTO ticket_stats_daily (district_code, day, area_path, dimension, key, ${[...COUNTERS.filter((c) => c !== 'received'), 'received'].join(', ')})
      SELECT $1, day, area_path, dimension, key, ${COUNTERS.filter((c) => c !== 'received').join(', ')},
             CASE WHEN dimension = 'unit' THEN received_unit ELSE received END
        FROM grouped
       WHERE ${COUNTERS.filter((c) => c !== 'received').map((c) => `${c} <> 0`).join(' OR ')}
          OR (CASE WHEN dimension = 'unit' THEN received_unit ELSE received END) <> 0
      RETURNING 1)
    SELECT count(*)::int AS n FROM written`,
    [districtCode, `/${districtCode}/`, days.from, days.to, null],
  );
  return rows[0]?.n ?? 0;
}

// ---- labels ------------------------------------------------------------------------------------

export interface KeyLabel {
  key: string;
  label: string;
}

/**
 * Names for the keys of a grouping: units from departments (name) and areas (the street's
 * name), areas and categories by code. Read-only joins on the departments and areas tables.
 */
export async function labelKeys(q: Queryable, districtCode: string, by: StatDimension, keys: readonly string[]): Promise<KeyLabel[]> {
  if (keys.length === 0) return [];
  switch (by) {
    case 'unit':
      return q.query<KeyLabel & Record<string, unknown>>(
        `SELECT k.key, coalesce(d.name, a.name) AS label
           FROM unnest($2::text[]) AS k(key)
           LEFT JOIN departments d ON k.key LIKE 'department:%' AND d.district_code = $1 AND d.code = substr(k.key, 12)
           LEFT JOIN areas a ON k.key LIKE 'subdistrict:%' AND a.district_code = $1 AND a.code = substr(k.key, 13)
          WHERE coalesce(d.name, a.name) IS NOT NULL`,
        [districtCode, keys],
      );
    case 'subdistrict':
    case 'community':
      return q.query<KeyLabel & Record<string, unknown>>(
        `SELECT code AS key, name AS label FROM areas WHERE district_code = $1 AND code = ANY($2::text[])`,
        [districtCode, keys],
      );
    case 'category':
      return q.query<KeyLabel & Record<string, unknown>>(
        `SELECT code AS key, name AS label FROM ticket_categories WHERE district_code = $1 AND code = ANY($2::text[])`,
        [districtCode, keys],
      );
    default:
      return [];
  }
}
