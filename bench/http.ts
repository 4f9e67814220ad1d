/**
 * HTTP benchmark of the public point lookup `GET /api/v1/areas/locate?lon=…&lat=…`.
 *
 * The real server runs as a child process (so the load generator and the server do not share an
 * event loop) in embedded mode on a fresh temp data dir: the seeded demo district of 市南区 with
 * its 500 grid cells. autocannon, in this process, sends random points inside the district's
 * bounding box (lon 120.29–120.43, lat 36.04–36.10; a fixed seed, so every run sends the same
 * points) over 50 keep-alive connections on 127.0.0.1: a 2 s warm-up that is thrown away, then
 * 10 s measured. The server's request logging is set to `warn` (at `info` every request writes a
 * log line and the bench would mostly measure logging).
 *
 * Run alone: node --import tsx bench/http.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { createRng } from '../src/domain/areas/core/demo-geometry';
import { BENCH_DEMO_PASSWORD, killAllServers, memoryOf, startServer } from './startup';

const BBOX = { minLon: 120.29, maxLon: 120.43, minLat: 36.04, maxLat: 36.1 };
const POINTS = 20_000;

export interface HttpBenchOptions {
  connections?: number;
  warmupSeconds?: number;
  durationSeconds?: number;
}

export interface HttpBenchResult {
  endpoint: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  gridCells: number;
  /** share of the random points that fall inside a grid cell (checked on a 500-point sample) */
  insideShare: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  serverRssMiB: number;
  serverHwmMiB: number;
}

function locatePaths(n: number): string[] {
  const rng = createRng('bench-http-locate');
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const lon = BBOX.minLon + rng() * (BBOX.maxLon - BBOX.minLon);
    const lat = BBOX.minLat + rng() * (BBOX.maxLat - BBOX.minLat);
    paths.push(`/api/v1/areas/locate?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}`);
  }
  return paths;
}

function load(url: string, paths: string[], connections: number, seconds: number): Promise<autocannon.Result> {
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest: (req) => {
              req.path = paths[next++ % paths.length]!;
              return req;
            },
          },
        ],
      },
      (err, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)),
    );
    // Bounded whatever happens to the target: stop a little after the planned end.
    const guard = setTimeout(() => instance.stop(), (seconds + 15) * 1000);
    instance.once('done', () => clearTimeout(guard));
  });
}

async function countGridCells(baseUrl: string): Promise<number> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-minsheng-csrf': '1' },
    body: JSON.stringify({ username: 'admin', password: BENCH_DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`login for the grid-cell count: HTTP ${login.status}`);
  const { token } = (await login.json()) as { token: string };
  const stats = await fetch(`${baseUrl}/api/v1/areas/stats`, { headers: { authorization: `Bearer ${token}` } });
  if (!stats.ok) throw new Error(`GET /api/v1/areas/stats: HTTP ${stats.status}`);
  const { items } = (await stats.json()) as { items: { gridCells: number }[] };
  return items.reduce((n, s) => n + s.gridCells, 0);
}

export async function benchHttp(opts: HttpBenchOptions = {}): Promise<HttpBenchResult> {
  const connections = opts.connections ?? 50;
  const warmupSeconds = opts.warmupSeconds ?? 2;
  const durationSeconds = opts.durationSeconds ?? 10;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'minsheng-bench-http-'));
  const server = await startServer({ dataDir, logLevel: 'warn' }).catch(async (e: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  });
  try {
    const gridCells = await countGridCells(server.baseUrl);
    const paths = locatePaths(POINTS);

    let inside = 0;
    const sample = paths.slice(0, 500);
    for (const p of sample) {
      const res = await fetch(server.baseUrl + p);
      if (!res.ok) throw new Error(`GET ${p}: HTTP ${res.status} ${await res.text()}`);
      if (((await res.json()) as { inside?: boolean }).inside) inside++;
    }

    await load(server.baseUrl, paths, connections, warmupSeconds);
    const r = await load(server.baseUrl, paths, connections, durationSeconds);
    const mem = memoryOf(server.pid);
    return {
      endpoint: 'GET /api/v1/areas/locate?lon=…&lat=…',
      connections,
      warmupSeconds,
      durationSeconds,
      gridCells,
      insideShare: Math.round((inside / sample.length) * 1000) / 1000,
      requests: r.requests.total,
      requestsPerSecond: Math.round(r.requests.total / (r.duration || durationSeconds)),
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean },
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      serverRssMiB: mem.rssMiB,
      serverHwmMiB: mem.hwmMiB,
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(JSON.stringify(await benchHttp(), null, 2));
  } finally {
    killAllServers();
  }
}
