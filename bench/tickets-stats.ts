/**
 * 三率 dashboard benchmark: `ticketStats` over one month and over one year, on a real PostgreSQL
 * server holding 1,000,000 tickets and their event logs.
 *
 * The data: a fresh database `minsheng_bench_<pid>` on 127.0.0.1:5432, migrated by the
 * production migrations and seeded with the demo district (real division names, departments,
 * the ticket catalogue), then 1,000,000 tickets received evenly over four years (2022–2025,
 * about 250,000 a year, the order of a large urban district's 12345 load) with ~5 events each,
 * written by `INSERT … SELECT generate_series` and a deterministic hash (no random source): 12 %
 * answered directly; the rest dispatched (7 % returned and re-dispatched), accepted (93 % within
 * the 2-hour limit), 4 % extended, replied (91 % on time; 78 % resolved), followed up (86 %
 * satisfied or basically satisfied, 6 % unreachable), 4 % reopened and handled again, 5 % urged.
 * Events are appended in time order, as a live system writes them; indexes are built after the
 * load. The database is dropped at the end (also on failure; `--keep` leaves it).
 *
 * The measurement (`measureTicketStats`): as on 31 December 2025 in the afternoon — a full
 * refresh of the daily summary through the 30th (timed), then the dashboard's service calls
 * (authorization, SQL, labels; the summary for the 1st–30th, the 31st counted live): by
 * subdistrict for December and for 2025, by unit for December; and for comparison December all
 * live from the events. 3 warm-up runs, then ≥ 20 timed runs each: p50 / p99 / max in ms. Then a
 * check that the summary answers as live counting does, that night's incremental refresh
 * (timed), and the 环比/同比 query once. Prints one JSON document (stderr: progress).
 *
 * Run alone: node --import tsx bench/tickets-stats.ts [--keep]
 */
import { cpus } from 'node:os';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { openDb, type Db, type Queryable } from '../src/shared/db';
import { migrate } from '../src/shared/db/migrate';
import { composeDeps } from '../src/server/compose';
import { seedDemoDistrict } from '../src/server/demo-seed';
import { ticketStats, categoryTrend, refreshTicketStats } from '../src/domain/tickets/stats';
import { fakeClock } from '../src/shared/clock';
import type { SystemActor } from '../src/shared/authz';

const SERVER = 'postgres://postgres@127.0.0.1:5432';
const DISTRICT = '370202';
const TICKETS = 1_000_000;
const RUNS = 25;
const WARMUP = 3;

export interface TicketStatsBenchResult {
  tickets: number;
  events: number;
  span: { from: string; to: string };
  generateSeconds: number;
  databaseMiB: number;
  summary: { fullRefreshSeconds: number; days: number; rows: number; nightlyRefreshSeconds: number; nightlyDays: number; agreesWithLive: boolean };
  runs: number;
  queries: {
    name: string;
    from: string;
    to: string;
    by: string;
    live: boolean;
    rows: number;
    dispatched: number;
    responseRate: number | null;
    ms: { p50: number; p99: number; max: number; min: number };
  }[];
  categoryTrendMs: number;
  /** p99 target of the dashboard queries (summary + live tail); the all-live row is for comparison */
  targetP99Ms: number;
  meetsTarget: boolean;
  postgres: string;
}

/** Markers in the generator: the tables' indexes are dropped before the bulk load and rebuilt after it. */
const LOAD = '-- load';
const LOADED = '-- loaded';

/** The whole generator, in SQL. `u(n, k)`: a uniform number in [0, 1) from ticket n and stream k. */
function generatorSql(tickets: number): string[] {
  return [
    // SET LOCAL: the settings end with the generator's transaction, not with its pooled connection.
    `SET LOCAL work_mem = '1GB'`,
    `SET LOCAL maintenance_work_mem = '1GB'`,
    // Generated rows are consistent by construction: no JIT compile of one-off statements, and
    // no per-row foreign-key triggers (superuser only; the server is a scratch benchmark one).
    `SET LOCAL jit = off`,
    `SET LOCAL session_replication_role = replica`,
    `CREATE FUNCTION pg_temp.u(n bigint, k bigint) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT ((hashint8extended(n, k) >> 12) & 1048575)::float8 / 1048576 $$`,
    // The seeded catalogue's leaf categories, each with the unit its most specific route names
    // ('subdistrict:local' = the ticket's own street). Earlier leaves are more frequent.
    `CREATE TEMP TABLE bench_categories AS
       SELECT (row_number() OVER (ORDER BY c.code) - 1)::int AS i, c.code, c.name,
              coalesce((SELECT r.unit FROM ticket_routes r
                         WHERE r.district_code = c.district_code AND (c.code = r.category_code OR c.code LIKE r.category_code || '.%')
                         ORDER BY length(r.category_code) DESC LIMIT 1), 'subdistrict:local') AS unit
         FROM ticket_categories c
        WHERE c.district_code = '${DISTRICT}' AND c.active
          AND NOT EXISTS (SELECT 1 FROM ticket_categories k WHERE k.district_code = c.district_code AND k.parent_code = c.code)`,
    `CREATE TEMP TABLE bench_communities AS
       SELECT (row_number() OVER (ORDER BY code) - 1)::int AS i, code, parent_code AS subdistrict_code, path
         FROM areas WHERE district_code = '${DISTRICT}' AND level = 'community'`,
    `CREATE TEMP TABLE bench_departments AS
       SELECT (row_number() OVER (ORDER BY code) - 1)::int AS i, 'department:' || code AS unit
         FROM departments WHERE district_code = '${DISTRICT}'`,
    // One row per ticket: every instant and outcome of its life, derived from its number.
    `CREATE UNLOGGED TABLE bench_plan AS
     WITH base AS (
       SELECT n::bigint AS n, gen_random_uuid() AS id,
              timestamptz '2022-01-01 00:00:00+08' + ((n - 1) * (interval '1461 days' / ${tickets})) AS received_at,
              pg_temp.u(n, 1) AS u1, pg_temp.u(n, 2) AS u2, pg_temp.u(n, 3) AS u3, pg_temp.u(n, 4) AS u4,
              pg_temp.u(n, 5) AS u5, pg_temp.u(n, 6) AS u6, pg_temp.u(n, 7) AS u7, pg_temp.u(n, 8) AS u8,
              pg_temp.u(n, 9) AS u9, pg_temp.u(n, 10) AS u10, pg_temp.u(n, 11) AS u11, pg_temp.u(n, 12) AS u12,
              pg_temp.u(n, 13) AS u13, pg_temp.u(n, 14) AS u14, pg_temp.u(n, 15) AS u15, pg_temp.u(n, 16) AS u16,
              pg_temp.u(n, 17) AS u17, pg_temp.u(n, 18) AS u18, pg_temp.u(n, 19) AS u19, pg_temp.u(n, 20) AS u20,
              pg_temp.u(n, 21) AS u21, pg_temp.u(n, 22) AS u22, pg_temp.u(n, 23) AS u23
         FROM generate_series(1, ${tickets}) AS n
     ), attrs AS (
       SELECT b.*, c.code AS community_code, c.subdistrict_code, c.path AS area_path,
              k.code AS category_code, k.name AS category_name, k.unit AS category_unit,
              CASE WHEN u3 < 0.70 THEN 'hotline' WHEN u3 < 0.82 THEN 'web' WHEN u3 < 0.88 THEN 'qr' WHEN u3 < 0.96 THEN 'grid_patrol'
                   WHEN u3 < 0.97 THEN 'sensor' WHEN u3 < 0.99 THEN 'supervision' ELSE 'open311' END AS channel,
              CASE WHEN u4 < 0.45 THEN 'complaint' WHEN u4 < 0.70 THEN 'help' WHEN u4 < 0.85 THEN 'consultation'
                   WHEN u4 < 0.92 THEN 'report' WHEN u4 < 0.98 THEN 'suggestion' ELSE 'praise' END AS type,
              CASE WHEN u5 < 0.90 THEN 'normal' WHEN u5 < 0.99 THEN 'urgent' ELSE 'emergency' END AS urgency,
              u6 < 0.12 AS direct,
              u9 < 0.07 AS returned,
              u14 < 0.04 AS extended,
              u15 < 0.91 AS replied_on_time,
              u12 < 0.93 AS accepted_in_time,
              u22 < 0.05 AS urged
         FROM base b
         JOIN bench_communities c ON c.i = floor(b.u1 * (SELECT count(*) FROM bench_communities))::int
         JOIN bench_categories k ON k.i = floor(power(b.u2, 1.6) * (SELECT count(*) FROM bench_categories))::int
     ), units AS (
       SELECT a.*,
              CASE WHEN category_unit = 'subdistrict:local' OR u7 < 0.45 THEN 'subdistrict:' || subdistrict_code ELSE category_unit END AS lead1,
              received_at + (5 + u8 * 115) * interval '1 minute' AS d1_at
         FROM attrs a
     ), disp AS (
       SELECT u.*,
              d1_at + (20 + u10 * 90) * interval '1 minute' AS ret_at,
              CASE WHEN lead1 LIKE 'subdistrict:%'
                   THEN (SELECT unit FROM bench_departments WHERE i = floor(u.u11 * (SELECT count(*) FROM bench_departments))::int)
                   ELSE 'subdistrict:' || subdistrict_code END AS lead2
         FROM units u
     ), handled AS (
       SELECT d.*,
              CASE WHEN returned THEN ret_at + (15 + u11 * 60) * interval '1 minute' ELSE d1_at END AS d_at,
              CASE WHEN returned THEN lead2 ELSE lead1 END AS lead
         FROM disp d
     ), accepted AS (
       SELECT h.*,
              d_at + interval '2 hours' AS accept_due,
              d_at + CASE WHEN urgency = 'normal' THEN interval '7 days' ELSE interval '2 days' END AS due,
              d_at + CASE WHEN accepted_in_time THEN u13 * 118 * interval '1 minute' ELSE interval '121 minutes' + u13 * interval '10 hours' END AS acc_at
         FROM handled h
     ), replied AS (
       SELECT a.*,
              acc_at + interval '1 day' AS ext_req_at,
              acc_at + interval '1 day 4 hours' AS ext_dec_at,
              due + CASE WHEN extended THEN interval '7 days' ELSE interval '0' END AS due_final
         FROM accepted a
     ), outcome AS (
       SELECT r.*,
              CASE WHEN replied_on_time
                   THEN GREATEST(acc_at, CASE WHEN extended THEN ext_dec_at ELSE acc_at END) + u16 * 0.95 * (due_final - GREATEST(acc_at, CASE WHEN extended THEN ext_dec_at ELSE acc_at END)) + interval '1 minute'
                   ELSE due_final + (1 + u16 * 72) * interval '1 hour' END AS rep_at,
              CASE WHEN u17 < 0.78 THEN 'resolved' WHEN u17 < 0.90 THEN 'partially_resolved' WHEN u17 < 0.96 THEN 'unresolved' ELSE 'not_government' END AS resolution
         FROM replied r
     ), rated AS (
       SELECT o.*,
              rep_at + (2 + u18 * 70) * interval '1 hour' AS fu_at,
              CASE WHEN resolution = 'resolved'
                   THEN CASE WHEN u19 < 0.80 THEN 'satisfied' WHEN u19 < 0.93 THEN 'basically_satisfied' WHEN u19 < 0.97 THEN 'dissatisfied' ELSE 'unreachable' END
                   ELSE CASE WHEN u19 < 0.30 THEN 'satisfied' WHEN u19 < 0.55 THEN 'basically_satisfied' WHEN u19 < 0.90 THEN 'dissatisfied' ELSE 'unreachable' END
              END AS rating
         FROM outcome o
     )
     SELECT r.*,
            NOT direct AND rating = 'dissatisfied' AND u20 < 0.45 AS reopened,
            fu_at + (1 + u21 * 23) * interval '1 hour' AS ro_at,
            received_at + (10 + u8 * 50) * interval '1 minute' AS direct_at,
            -- events before the reply that only some tickets have, for the arithmetic of seq
            (CASE WHEN returned THEN 2 ELSE 0 END + CASE WHEN extended THEN 2 ELSE 0 END + CASE WHEN urged THEN 1 ELSE 0 END) AS extra
       FROM rated r`,
    LOAD,
    `INSERT INTO tickets (id, district_code, number, type, channel, title, content, urgency, category_code, area_path,
                          community_code, subdistrict_code, requester_name, requester_phone, created_at, status, lead_unit,
                          due_at, accept_due_at, accepted_at, replied_at, closed_at, resolution, rating, returns, reopens, urges, last_seq)
     SELECT p.id, '${DISTRICT}', 'B' || to_char(p.received_at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(p.n::text, 7, '0'),
            p.type, p.channel, p.category_name || '问题反映',
            '市民来电反映：' || p.category_name || '问题持续较长时间，影响周边居民正常生活，希望有关部门尽快核实处理并答复。（基准测试生成）',
            p.urgency, p.category_code, p.area_path, p.community_code, p.subdistrict_code,
            '测试市民', '100' || lpad(p.n::text, 8, '0'), p.received_at, 'closed',
            CASE WHEN p.direct THEN NULL ELSE p.lead END,
            CASE WHEN p.direct THEN NULL ELSE p.due_final END,
            CASE WHEN p.direct THEN NULL ELSE p.accept_due END,
            CASE WHEN p.direct THEN NULL ELSE p.acc_at END,
            CASE WHEN p.direct THEN p.direct_at ELSE p.rep_at END,
            CASE WHEN p.direct THEN p.direct_at ELSE p.fu_at END,
            CASE WHEN p.direct THEN 'resolved' ELSE p.resolution END,
            CASE WHEN p.direct THEN NULL ELSE p.rating END,
            CASE WHEN p.returned AND NOT p.direct THEN 1 ELSE 0 END,
            CASE WHEN p.reopened THEN 1 ELSE 0 END,
            CASE WHEN p.urged AND NOT p.direct THEN 1 ELSE 0 END,
            0
       FROM bench_plan p ORDER BY p.n`,
    // One branch per event kind; within a ticket the branches are in time order, so seq is a
    // count of the optional events before. Appended in time order, as a live system writes them.
    `INSERT INTO ticket_events (district_code, ticket_id, seq, kind, at, actor_role, unit, data)
     SELECT '${DISTRICT}', ticket_id, seq, kind, at, role, unit, data FROM (
       SELECT id AS ticket_id, 1 AS seq, 'received' AS kind, received_at AS at, 'dispatcher' AS role, NULL::text AS unit,
              '{"dueAt":null}'::jsonb AS data FROM bench_plan
       UNION ALL
       SELECT id, 2, 'answered_directly', direct_at, 'dispatcher', NULL,
              jsonb_build_object('answer', '已电话解答政策口径，市民表示理解。', 'resolution', CASE WHEN u23 < 0.92 THEN 'resolved' ELSE 'partially_resolved' END)
         FROM bench_plan WHERE direct
       UNION ALL
       SELECT id, 2, 'dispatched', d1_at, 'dispatcher', lead1,
              jsonb_build_object('leadUnit', lead1, 'assistingUnits', '[]'::jsonb, 'acceptDueAt', d1_at + interval '2 hours',
                                 'dueAt', d1_at + CASE WHEN urgency = 'normal' THEN interval '7 days' ELSE interval '2 days' END)
         FROM bench_plan WHERE NOT direct
       UNION ALL
       SELECT id, 3, 'returned', ret_at, 'handler', lead1, jsonb_build_object('unit', lead1, 'reason', '不属于本单位职责')
         FROM bench_plan WHERE NOT direct AND returned
       UNION ALL
       SELECT id, 4, 'dispatched', d_at, 'dispatcher', lead2,
              jsonb_build_object('leadUnit', lead2, 'assistingUnits', '[]'::jsonb, 'acceptDueAt', accept_due, 'dueAt', due)
         FROM bench_plan WHERE NOT direct AND returned
       UNION ALL
       SELECT id, 3 + CASE WHEN returned THEN 2 ELSE 0 END, 'accepted', acc_at, 'handler', lead, jsonb_build_object('unit', lead)
         FROM bench_plan WHERE NOT direct
       UNION ALL
       SELECT id, 4 + CASE WHEN returned THEN 2 ELSE 0 END, 'extension_requested', ext_req_at, 'handler', lead,
              jsonb_build_object('unit', lead, 'reason', '需协调多部门', 'workingDays', 5)
         FROM bench_plan WHERE NOT direct AND extended
       UNION ALL
       SELECT id, 5 + CASE WHEN returned THEN 2 ELSE 0 END, 'extension_decided', ext_dec_at, 'dispatcher', NULL,
              jsonb_build_object('approved', true, 'dueAt', due_final)
         FROM bench_plan WHERE NOT direct AND extended
       UNION ALL
       SELECT id, 4 + extra - 1, 'urged', CASE WHEN extended THEN ext_dec_at + (rep_at - ext_dec_at) / 2 ELSE acc_at + (rep_at - acc_at) / 2 END,
              'dispatcher', NULL, jsonb_build_object('note', '请加快办理', 'level', 'unit')
         FROM bench_plan WHERE NOT direct AND urged
       UNION ALL
       SELECT id, 4 + extra, 'replied', rep_at, 'handler', lead,
              jsonb_build_object('unit', lead, 'reply', '经现场核实，已责令整改并持续跟踪，问题已按要求处理。', 'resolution', resolution)
         FROM bench_plan WHERE NOT direct
       UNION ALL
       SELECT id, 5 + extra, 'followed_up', fu_at, 'dispatcher', NULL, jsonb_build_object('rating', rating)
         FROM bench_plan WHERE NOT direct
       UNION ALL
       SELECT id, 6 + extra, 'reopened', ro_at, 'dispatcher', lead,
              jsonb_build_object('reason', '市民不满意，重新办理', 'dueAt', ro_at + interval '7 days', 'acceptDueAt', ro_at + interval '2 hours')
         FROM bench_plan WHERE reopened
       UNION ALL
       SELECT id, 7 + extra, 'accepted', ro_at + u13 * interval '100 minutes', 'handler', lead, jsonb_build_object('unit', lead)
         FROM bench_plan WHERE reopened
       UNION ALL
       SELECT id, 8 + extra, 'replied', ro_at + interval '2 hours' + u16 * interval '4 days', 'handler', lead,
              jsonb_build_object('unit', lead, 'reply', '已再次上门处理，问题已解决。', 'resolution', 'resolved')
         FROM bench_plan WHERE reopened
       UNION ALL
       SELECT id, 9 + extra, 'followed_up', ro_at + interval '1 day 2 hours' + u16 * interval '4 days', 'dispatcher', NULL,
              jsonb_build_object('rating', CASE WHEN u21 < 0.6 THEN 'satisfied' WHEN u21 < 0.85 THEN 'basically_satisfied' ELSE 'dissatisfied' END)
         FROM bench_plan WHERE reopened
     ) e ORDER BY at`,
    LOADED,
    `DROP TABLE bench_plan`,
  ];
}

/**
 * Bulk loading into indexed tables is slow (every row updates every index); the load drops the
 * indexes of tickets and ticket_events — whatever the migrations defined, read from the catalog —
 * and returns the DDL that rebuilds them. tickets' primary key stays (foreign keys need it).
 */
async function dropIndexes(tx: Queryable): Promise<string[]> {
  const constraints = await tx.query<{ conname: string; def: string }>(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'ticket_events'::regclass AND contype IN ('p', 'u')`,
  );
  const indexes = await tx.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
      WHERE i.indrelid IN ('tickets'::regclass, 'ticket_events'::regclass)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
  );
  for (const c of constraints) await tx.query(`ALTER TABLE ticket_events DROP CONSTRAINT ${c.conname}`);
  for (const i of indexes) await tx.query(`DROP INDEX ${i.name}`);
  return [...constraints.map((c) => `ALTER TABLE ticket_events ADD CONSTRAINT ${c.conname} ${c.def}`), ...indexes.map((i) => i.def)];
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Creates and fills the bench database; returns it open. */
export async function generateBenchDatabase(name: string, tickets = TICKETS, log: (s: string) => void = () => undefined): Promise<Db> {
  await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  const db = await openDb({ engine: 'postgresql', url: `${SERVER}/${name}`, poolSize: 4 });
  await migrate(db);
  await seedDemoDistrict(composeDeps(db, { districtCode: DISTRICT, sessionTtlMs: 3_600_000, secureCookies: false, basemapTileUrl: null }), {
    demoPassword: null,
    gridCellsPerCommunity: 2,
  });
  // One connection for the whole script: temp tables and SET LOCAL live in its transaction.
  await db.transaction(async (tx) => {
    let rebuild: string[] = [];
    for (const sql of generatorSql(tickets)) {
      const t0 = performance.now();
      if (sql === LOAD) rebuild = await dropIndexes(tx);
      else if (sql === LOADED) for (const ddl of rebuild) await tx.query(ddl);
      else await tx.query(sql);
      const what = sql === LOADED ? `rebuilt ${rebuild.length} indexes` : sql.replace(/\s+/g, ' ').slice(0, 70);
      log(`  ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${what}`);
    }
  });
  for (const table of ['tickets', 'ticket_events']) {
    const t0 = performance.now();
    await db.query(`VACUUM (ANALYZE) ${table}`);
    log(`  ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s  VACUUM (ANALYZE) ${table}`);
  }
  return db;
}

/**
 * The measurement on a filled database: the full refresh of the daily summary (as on the evening
 * of 30 December 2025), the dashboard queries ≥ `runs` times each, a check that the summary
 * answers as live counting does, that night's incremental refresh, and the 环比/同比 query once.
 */
export async function measureTicketStats(db: Db, runs: number, log: (s: string) => void) {
  const actor: SystemActor = { kind: 'system', districtCode: DISTRICT, reason: 'bench' };
  const deps = { db };
  // The dashboard on 31 December 2025 in the afternoon: last night's refresh holds the year up
  // to the 30th; the 31st is counted live from the events.
  const clock = fakeClock('2025-12-31T15:00:00+08:00');
  const fullRefresh = await refreshTicketStats({ db, clock }, actor, { full: true });
  log(`  ${(fullRefresh.ms / 1000).toFixed(1).padStart(6)} s  full refresh of the daily summary: ${fullRefresh.days} days, ${fullRefresh.rowsWritten} rows`);

  const cases = [
    { name: 'month by subdistrict (summary + today live)', from: '2025-12-01', to: '2026-01-01', by: 'subdistrict' as const },
    { name: 'year by subdistrict (summary + today live)', from: '2025-01-01', to: '2026-01-01', by: 'subdistrict' as const },
    { name: 'month by unit (summary + today live)', from: '2025-12-01', to: '2026-01-01', by: 'unit' as const },
    { name: 'month by subdistrict, all live (no summary)', from: '2025-12-01', to: '2026-01-01', by: 'subdistrict' as const, live: true },
  ];
  const queries: TicketStatsBenchResult['queries'] = [];
  for (const c of cases) {
    const { name: _name, ...query } = c;
    let last = await ticketStats(deps, actor, query);
    for (let i = 1; i < WARMUP; i++) last = await ticketStats(deps, actor, query);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await time(() => ticketStats(deps, actor, query));
      last = r.value;
      samples.push(r.ms);
    }
    samples.sort((a, b) => a - b);
    queries.push({
      name: c.name,
      from: c.from,
      to: c.to,
      by: c.by,
      live: !!c.live,
      rows: last.rows.length,
      dispatched: last.totals.dispatched,
      responseRate: last.totals.responseRate.rate,
      ms: { p50: round1(percentile(samples, 50)), p99: round1(percentile(samples, 99)), max: round1(samples.at(-1)!), min: round1(samples[0]!) },
    });
    log(`  ${c.name}: p50 ${queries.at(-1)!.ms.p50} ms, p99 ${queries.at(-1)!.ms.p99} ms`);
  }
  // The same month both ways must agree: the summary is the live count, grouped by day.
  const { name: _month, ...month } = cases[0]!;
  const viaSummary = await ticketStats(deps, actor, month);
  const live = await ticketStats(deps, actor, { ...month, live: true });
  const summaryAgrees = JSON.stringify(viaSummary.rows) === JSON.stringify(live.rows);

  // That night's refresh: the 31st, and every earlier day its tickets' events touched.
  clock.set('2026-01-01T01:00:00+08:00');
  const nightly = await refreshTicketStats({ db, clock }, actor);
  log(`  ${(nightly.ms / 1000).toFixed(1).padStart(6)} s  nightly refresh: ${nightly.days} days`);
  const trend = await time(() => categoryTrend(deps, actor, { month: '2025-12' }));
  return {
    summary: {
      fullRefreshSeconds: round1(fullRefresh.ms / 1000),
      days: fullRefresh.days,
      rows: fullRefresh.rowsWritten,
      nightlyRefreshSeconds: round1(nightly.ms / 1000),
      nightlyDays: nightly.days,
      agreesWithLive: summaryAgrees,
    },
    queries,
    categoryTrendMs: round1(trend.ms),
  };
}

async function time<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

export async function benchTicketStats(options: { keep?: boolean; tickets?: number; runs?: number; log?: (s: string) => void } = {}): Promise<TicketStatsBenchResult> {
  const name = `minsheng_bench_${process.pid}`;
  const tickets = options.tickets ?? TICKETS;
  const runs = Math.max(20, options.runs ?? RUNS);
  const log = options.log ?? (() => undefined);
  const t0 = performance.now();
  let db: Db | undefined;
  try {
    db = await generateBenchDatabase(name, tickets, log);
    const generateSeconds = round1((performance.now() - t0) / 1000);
    const [{ events, bytes, version }] = (await db.query<{ events: number; bytes: number; version: string }>(
      `SELECT (SELECT count(*) FROM ticket_events) AS events, pg_database_size(current_database()) AS bytes, current_setting('server_version') AS version`,
    )) as [{ events: number; bytes: number; version: string }];

    const m = await measureTicketStats(db, runs, log);
    const targetP99Ms = 200;
    return {
      tickets,
      events,
      span: { from: '2022-01-01', to: '2026-01-01' },
      generateSeconds,
      databaseMiB: Math.round(bytes / 2 ** 20),
      summary: m.summary,
      runs,
      queries: m.queries,
      categoryTrendMs: m.categoryTrendMs,
      targetP99Ms,
      meetsTarget: m.queries.filter((q) => !q.live).every((q) => q.ms.p99 < targetP99Ms),
      postgres: version,
    };
  } finally {
    if (db) await db.close();
    if (!options.keep) await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchTicketStats({ keep: process.argv.includes('--keep'), log: (s) => console.error(s) });
  console.log(JSON.stringify({ ...result, node: process.version, cpu: cpus()[0]?.model, cores: cpus().length }, null, 2));
}
