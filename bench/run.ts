/**
 * `npm run bench`: the spatial index (bench/spatial.ts), the HTTP point lookup under load
 * (bench/http.ts) and embedded-mode startup (bench/startup.ts), one after the other, with the
 * machine and the commit. Readable tables first, then one JSON blob as the last output.
 *
 * Bounded: each bench stops by itself; a 6-minute guard kills everything left (server children
 * included) and exits 1. `BENCH_ONLY=spatial,http,startup` runs a subset.
 */
import { benchClassifier } from './classifier';
import { execFileSync } from 'node:child_process';
import { cpus, freemem, release, totalmem } from 'node:os';
import { benchSpatial } from './spatial';
import { benchHttp } from './http';
import { benchTicketsHttp } from './tickets-http';
import { benchTicketStats } from './tickets-stats';
import { benchInsights } from './insights';
import { benchStartup, killAllServers, ROOT } from './startup';
import { benchCoverage } from './coverage';
import { benchBenefits } from './benefits';

const GUARD_MS = 14 * 60_000;

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()} ${process.arch}`,
  };
}

function commit() {
  const sha = git(['rev-parse', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']);
  return { sha, dirty: dirty === null ? null : dirty.length > 0 };
}

function table(title: string, rows: [string, string | number][]): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  console.log('-'.repeat(title.length));
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
}

const fmt = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<number> {
  const only = new Set((process.env.BENCH_ONLY ?? 'spatial,http,startup,tickets-http,tickets-stats,insights,classifier,benefits,coverage').split(',').map((s) => s.trim()));
  const m = machine();
  const c = commit();
  table('machine', [
    ['cpu', m.cpu],
    ['cores', m.cores],
    ['memory', `${m.memoryGiB} GiB (${m.freeMemoryGiB} GiB free)`],
    ['node', m.node],
    ['os', m.os],
    ['commit', `${c.sha ?? 'unknown'}${c.dirty ? ' (with uncommitted changes)' : ''}`],
  ]);

  const results: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
    if (!only.has(name)) return null;
    const t0 = performance.now();
    console.log(`\n… ${name}`);
    try {
      const r = await fn();
      results[name] = r;
      console.log(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      return r;
    } catch (e) {
      errors[name] = e instanceof Error ? e.message : String(e);
      console.log(`  FAILED: ${errors[name]}`);
      return null;
    }
  };

  const s = await timed('spatial', benchSpatial);
  if (s) {
    table('spatial: AreaPointIndex.locate (in-process, no HTTP)', [
      ['grid cells', fmt(s.cells)],
      ['district', `${s.districtKm2} km²`],
      ['points', `${fmt(s.points)} random in the bbox (hit rate ${(s.hitRate * 100).toFixed(1)} %)`],
      ['lookups/s', fmt(s.lookupsPerSecond)],
      ['index build', `${s.buildMs} ms (first, cold: ${s.firstBuildMs} ms)`],
      ['brute-force agreement', `${(s.bruteForceAgreement * 100).toFixed(2)} %`],
      ['geometry generation', `${s.generateMs} ms`],
    ]);
  }

  const h = await timed('http', () => benchHttp());
  if (h) {
    table(`http: ${h.endpoint}`, [
      ['setup', `${h.gridCells} grid cells, ${h.connections} connections, ${h.warmupSeconds} s warm-up + ${h.durationSeconds} s`],
      ['points inside a cell', `${(h.insideShare * 100).toFixed(1)} %`],
      ['requests/s', fmt(h.requestsPerSecond)],
      ['latency p50', `${h.latencyMs.p50} ms`],
      ['latency p90', `${h.latencyMs.p90} ms`],
      ['latency p99', `${h.latencyMs.p99} ms`],
      ['latency max', `${h.latencyMs.max} ms`],
      ['requests', `${fmt(h.requests)} (non-2xx ${h.non2xx}, errors ${h.errors}, timeouts ${h.timeouts})`],
      ['server memory after', `RSS ${h.serverRssMiB} MiB, peak ${h.serverHwmMiB} MiB`],
    ]);
  }

  const st = await timed('startup', () => benchStartup(3));
  if (st) {
    const row = (x: typeof st.firstStart) =>
      `${x.readyMs} ms to /api/health (server's own ${x.internalStartupMs ?? '?'} ms), RSS ${x.rssMiB} MiB, peak ${x.hwmMiB} MiB`;
    table(`startup: embedded mode (PGlite), median of ${st.runs}`, [
      ['first start (fresh dir)', row(st.firstStart)],
      ['restart (same dir)', row(st.restart)],
      ['first start, each run', st.samples.firstStart.map((x) => `${x.readyMs} ms`).join(', ')],
      ['restart, each run', st.samples.restart.map((x) => `${x.readyMs} ms`).join(', ')],
    ]);
  }

  const th = await timed('tickets-http', () => benchTicketsHttp());
  if (th) {
    table('tickets: POST /api/v1/tickets with location lookup (PostgreSQL)', [
      ['throughput', `${fmt(th.throughput.ticketsPerSecond)} tickets/s over ${th.throughput.connections} connections (p50 ${th.throughput.p50} ms, p99 ${th.throughput.p99} ms, non-2xx ${th.throughput.non2xx})`],
      ['fixed rate', `${th.fixedRate.rate}/s asked, ${th.fixedRate.achieved}/s done: p50 ${th.fixedRate.p50} ms, p90 ${th.fixedRate.p90} ms, p99 ${th.fixedRate.p99} ms, max ${th.fixedRate.max} ms`],
      ['tickets stored', fmt(th.ticketsStored)],
    ]);
  }

  const ts = await timed('tickets-stats', () => benchTicketStats());
  if (ts) console.log(JSON.stringify(ts, null, 2));

  const ins = await timed('insights', () => benchInsights());
  if (ins) console.log(JSON.stringify(ins, null, 2));

  const cl = await timed('classifier', () => benchClassifier());
  if (cl) {
    table(`classifier: category model, one core (${cl.data})`, [
      ['training', `${fmt(cl.trainRows)} rows in ${fmt(cl.trainMs)} ms (5-fold calibration included)`],
      ['dev macro-F1 / accuracy', `${cl.macroF1} / ${cl.accuracy}`],
      ['messages/s (CPU time, end to end)', fmt(cl.cpuMessagesPerSecond)],
      ['messages/s (wall clock)', fmt(cl.wallMessagesPerSecond)],
      ['messages/s scoring only (segmented)', fmt(cl.cpuScoringOnlyPerSecond)],
    ]);
  }

  const cv = await timed('coverage', () => benchCoverage());
  if (cv) {
    table('coverage: 服务圈 in process (targets: < 1 s, < 10 s, < 100 ms)', [
      ['coverage', `${fmt(cv.points)} points × ${fmt(cv.facilities)} facilities, ${cv.reachM} m: median ${cv.coverage.medianMs} ms wall, ${cv.coverage.medianCpuMs} ms CPU (${cv.coverage.runsMs.join(', ')}); covered ${(cv.coverage.coveredShare * 100).toFixed(1)} %; brute-force sample agrees: ${cv.coverage.bruteForceSampleAgrees}`],
      ['siting', `k = ${cv.siting.k} over ${fmt(cv.siting.candidates)} candidates: ${cv.siting.ms} ms wall, ${cv.siting.cpuMs} ms CPU, ${fmt(cv.siting.evaluations)} gain evaluations; gains ${fmt(cv.siting.gainFirst)} … ${fmt(cv.siting.gainLast)}; share ${(cv.siting.shareBefore * 100).toFixed(1)} % → ${(cv.siting.shareAfter * 100).toFixed(1)} %`],
      ['what-if move', `median ${cv.whatIf.medianMs} ms wall (${cv.whatIf.medianCpuMs} ms CPU), p90 ${cv.whatIf.p90Ms} ms, max ${cv.whatIf.maxMs} ms over ${cv.whatIf.moves} moves (median ${fmt(cv.whatIf.medianTouched)} points re-assigned); state build ${cv.whatIf.buildMs} ms`],
    ]);
  }

  const bf = await timed('benefits', () => benchBenefits());
  if (bf) {
    table(`benefits: ${fmt(bf.persons)} persons, ${fmt(bf.households)} households × ${bf.policies} policies`, [
      ['in memory (compiled closures)', `${fmt(bf.memory.matchMs)} ms full match, ${fmt(bf.memory.evaluationsPerSecond)} evaluations/s (compile ${bf.memory.compileMs} ms)`],
      ['PostgreSQL (compiled SQL)', bf.postgres ? `${fmt(bf.postgres.matchMs)} ms, ${fmt(bf.postgres.evaluationsPerSecond)} evaluations/s, counts agree: ${bf.postgres.countsAgree}` : 'not available'],
      ['json-rules-engine', `${fmt(bf.jsonRulesEngine.evaluationsPerSecond)} evaluations/s on ${fmt(bf.jsonRulesEngine.samplePersons)} persons (agreement ${(bf.jsonRulesEngine.agreement * 100).toFixed(2)} %; ~${fmt(bf.jsonRulesEngine.fullRunEstimateS)} s for the full match)`],
      ['speed-up vs json-rules-engine', `${fmt(bf.speedupVsJsonRulesEngine)}×`],
      ['generation', `registry ${fmt(bf.generation.generateMs)} ms, facts ${fmt(bf.generation.factsMs)} ms, PostgreSQL load ${bf.postgres ? fmt(bf.postgres.loadMs) : '—'} ms`],
    ]);
  }

  const ok = Object.keys(errors).length === 0;
  console.log('\nJSON');
  console.log(JSON.stringify({ machine: m, commit: c, date: new Date().toISOString(), ok, errors, results }, null, 2));
  return ok ? 0 : 1;
}

const guard = setTimeout(() => {
  console.error(`bench: exceeded ${GUARD_MS / 60_000} minutes; stopping`);
  killAllServers();
  process.exit(1);
}, GUARD_MS);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllServers();
    process.exit(130);
  });
}

main().then(
  (code) => {
    clearTimeout(guard);
    killAllServers();
    process.exit(code);
  },
  (e: unknown) => {
    console.error(e);
    killAllServers();
    process.exit(1);
  },
);
