/**
 * Ticket intake through HTTP, with the location lookup: POST /api/v1/tickets as the hotline does,
 * against the real server on PostgreSQL (a fresh database, dropped afterwards).
 *
 * Two runs after a warm-up: as fast as 20 keep-alive connections go (tickets per second), and a
 * fixed rate of 300 tickets/s (latency percentiles at a load the server can carry). Points are
 * random inside the demo district's centre, so every ticket is located to a grid cell.
 *
 * Run alone: node --import tsx bench/tickets-http.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createRng } from '../src/domain/areas/core/demo-geometry';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PG_ADMIN = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'Bench-demo-pass-2026';

export interface TicketsHttpResult {
  database: 'postgresql';
  throughput: { connections: number; seconds: number; ticketsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number };
  fixedRate: { rate: number; seconds: number; achieved: number; p50: number; p90: number; p99: number; max: number; non2xx: number };
  ticketsStored: number;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

function bodies(n: number): string[] {
  const rng = createRng('bench-tickets-http');
  const topics = [['urban.facility.road', '道路破损'], ['urban.appearance.stall', '占道经营'], ['urban.facility.drain', '排水不畅'], ['housing.property.elevator', '电梯故障']] as const;
  return Array.from({ length: n }, (_, i) => {
    const [categoryCode, title] = topics[i % topics.length]!;
    return JSON.stringify({
      type: 'complaint',
      channel: 'hotline',
      title,
      content: `${title}，压测工单 ${i}`,
      categoryCode,
      location: { lon: 120.33 + rng() * 0.06, lat: 36.062 + rng() * 0.012 },
      requester: { name: '压测', phone: `100${String(i).padStart(8, '0')}` },
    });
  });
}

function run(url: string, token: string, payloads: string[], o: { connections: number; seconds: number; overallRate?: number }): Promise<autocannon.Result> {
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/api/v1/tickets`,
        connections: o.connections,
        duration: o.seconds,
        ...(o.overallRate ? { overallRate: o.overallRate } : {}),
        timeout: 10,
        requests: [
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: payloads[next++ % payloads.length]! }),
          },
        ],
      },
      (err, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)),
    );
    const guard = setTimeout(() => instance.stop(), (o.seconds + 15) * 1000);
    instance.once('done', () => clearTimeout(guard));
  });
}

export async function benchTicketsHttp(): Promise<TicketsHttpResult> {
  const dbName = `minsheng_bench_tickets_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${dbName}`;
  const port = await freePort();
  let child: ChildProcess | undefined;
  try {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url.toString(), PORT: String(port), HOST: '127.0.0.1', MINSHENG_DEMO_PASSWORD: PASSWORD, MINSHENG_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 300));
    }
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-minsheng-csrf': '1' },
      body: JSON.stringify({ username: 'dispatcher', password: PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const payloads = bodies(5_000);
    await run(base, token, payloads, { connections: 10, seconds: 2 });
    const t = await run(base, token, payloads, { connections: 20, seconds: 10 });
    const f = await run(base, token, payloads, { connections: 20, seconds: 10, overallRate: 300 });
    const c = new pg.Client({ connectionString: url.toString() });
    await c.connect();
    const stored = Number((await c.query('SELECT count(*) AS n FROM tickets')).rows[0].n);
    await c.end();
    return {
      database: 'postgresql',
      throughput: { connections: 20, seconds: 10, ticketsPerSecond: Math.round(t.requests.average), p50: t.latency.p50, p99: t.latency.p99, non2xx: t.non2xx, errors: t.errors },
      fixedRate: { rate: 300, seconds: 10, achieved: Math.round(f.requests.average), p50: f.latency.p50, p90: f.latency.p90, p99: f.latency.p99, max: f.latency.max, non2xx: f.non2xx },
      ticketsStored: stored,
    };
  } finally {
    child?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchTicketsHttp().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
