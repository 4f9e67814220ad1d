/**
 * Embedded-mode (PGlite) startup benchmark: the real server as a child process
 * (`node --import tsx src/server/main.ts`), timed from spawn until GET /api/health answers.
 *
 *   first start  fresh data dir: initdb, migrations, demo-district seed, point index
 *   restart      the same dir again: open, nothing to migrate or seed, point index
 *
 * After each start the child's memory is read from /proc/<pid>/status: VmRSS (resident now) and
 * VmHWM (peak resident so far). 3 runs of each, the median reported. Each start is bounded
 * (90 s); the children are killed on every path.
 *
 * Also exports the server launcher used by bench/http.ts.
 *
 * Run alone: node --import tsx bench/startup.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BENCH_DEMO_PASSWORD = 'Bench-demo-pass-2026';
const START_TIMEOUT_MS = 90_000;

// ---- the server as a child process ------------------------------------------------------------

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  /** spawn → first 200 from /api/health */
  readyMs: number;
  /** the server's own `startupMs` (database open → listening), when logged */
  internalStartupMs: number | null;
  output: string[];
  stop: () => Promise<void>;
}

const live = new Set<ChildProcess>();

/** Kill every server child still running (the runner's time guard and signal handlers call this). */
export function killAllServers(): void {
  for (const c of live) c.kill('SIGKILL');
  live.clear();
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startServer(opts: { dataDir: string; logLevel?: string }): Promise<ServerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MINSHENG_DATA_DIR: opts.dataDir,
    MINSHENG_DEMO_PASSWORD: BENCH_DEMO_PASSWORD,
    MINSHENG_LOG_LEVEL: opts.logLevel ?? 'info',
  };
  delete env.DATABASE_URL; // embedded mode, always
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const output: string[] = [];
  let internalStartupMs: number | null = null;
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line) continue;
      if (output.length < 200) output.push(line);
      const m = /"startupMs":(\d+)/.exec(line);
      if (m) internalStartupMs = Number(m[1]);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await Promise.race([exited, sleep(2_000)]);
      }
    }
    live.delete(child);
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  try {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`server exited during start (code ${child.exitCode}, signal ${child.signalCode}):\n${output.slice(-20).join('\n')}`);
      }
      if (Date.now() > deadline) throw new Error(`server did not answer /api/health within ${START_TIMEOUT_MS / 1000} s`);
      try {
        const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) {
          await res.arrayBuffer();
          break;
        }
      } catch {
        // not listening yet
      }
      await sleep(20);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const readyMs = performance.now() - t0;
  if (child.pid === undefined) throw new Error('server child has no pid');
  // The ready log line is written just after listen(); give it a moment to arrive.
  for (let i = 0; i < 25 && internalStartupMs === null; i++) await sleep(20);
  return { child, pid: child.pid, baseUrl, readyMs, internalStartupMs, output, stop };
}

/** VmRSS and VmHWM of a process, in MiB (Linux /proc). */
export function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
    if (!m) throw new Error(`${key} missing from /proc/${pid}/status`);
    return Number(m[1]) / 1024;
  };
  return { rssMiB: round(kib('VmRSS')), hwmMiB: round(kib('VmHWM')) };
}

// ---- the benchmark ----------------------------------------------------------------------------

export interface StartSample {
  readyMs: number;
  internalStartupMs: number | null;
  rssMiB: number;
  hwmMiB: number;
}

export interface StartupBenchResult {
  runs: number;
  firstStart: StartSample;
  restart: StartSample;
  samples: { firstStart: StartSample[]; restart: StartSample[] };
}

async function sampleStart(dataDir: string): Promise<StartSample> {
  const s = await startServer({ dataDir });
  try {
    const mem = memoryOf(s.pid);
    return { readyMs: round(s.readyMs), internalStartupMs: s.internalStartupMs, ...mem };
  } finally {
    await s.stop();
  }
}

export async function benchStartup(runs = 3): Promise<StartupBenchResult> {
  const firstStart: StartSample[] = [];
  const restart: StartSample[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = await mkdtemp(path.join(tmpdir(), 'minsheng-bench-start-'));
    try {
      firstStart.push(await sampleStart(dir));
      restart.push(await sampleStart(dir));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { runs, firstStart: medianSample(firstStart), restart: medianSample(restart), samples: { firstStart, restart } };
}

function medianSample(xs: StartSample[]): StartSample {
  const internal = xs.map((x) => x.internalStartupMs).filter((x): x is number => x !== null);
  return {
    readyMs: median(xs.map((x) => x.readyMs)),
    internalStartupMs: internal.length ? median(internal) : null,
    rssMiB: median(xs.map((x) => x.rssMiB)),
    hwmMiB: median(xs.map((x) => x.hwmMiB)),
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(JSON.stringify(await benchStartup(), null, 2));
  } finally {
    killAllServers();
  }
}
