/**
 * End-to-end flow of one ticket (诉求) through the web app, as steps for test/e2e/run.ts:
 *
 *   dispatcher records it in the 登记诉求 form (/tickets) → dispatches it to 城管
 *   (department:urban-management) → handler-urban finds it in 我的待办 (/inbox), accepts and
 *   replies → dispatcher follows up 满意 → closed → the leader's dashboard counts it.
 *
 * The steps have the shape of run.ts's `Step` and read only what they need of its `World`
 * (baseUrl, browser, contexts, browserErrors), so they can be appended to its STEPS:
 *
 *   import { ticketSteps } from './tickets-flow';
 *   const STEPS: Step[] = [ …existing steps…, ...ticketSteps ];
 *
 * They share one ticket through this module's closure; each step names the one before it in
 * `needs`, so a failure reports the rest as not run. Screenshots go to test-results/e2e-tickets-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { type FlowStep, type FlowWorld, pickOption, signIn, submitAct, waitForStatus } from './ui';

/** The part of run.ts's World these steps use. */
export type TicketWorld = FlowWorld;

export type TicketStep = FlowStep<TicketWorld>;

export interface TicketFlowOptions {
  /** MINSHENG_DEMO_PASSWORD of the server under test */
  password: string;
  /** where screenshots go; none when null */
  screenshotsDir: string | null;
  /** names of the steps that start the server and the browser (run.ts's SERVER and BROWSER) */
  needs: string[];
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const URBAN = 'department:urban-management';
/** A point in 八大湖街道, 市南区 (WGS-84). */
const POINT = { lon: '120.383', lat: '36.066' };

export const CREATE = 'tickets: dispatcher records a ticket in the 登记诉求 form';
export const DISPATCH = 'tickets: dispatcher dispatches it to 城管 (department:urban-management)';
export const HANDLE = 'tickets: handler-urban finds it in 我的待办, accepts and replies';
export const FOLLOW_UP = 'tickets: dispatcher follows up 满意 and the ticket is closed';
export const DASHBOARD = 'tickets: the leader dashboard counts it';
export const STATS = 'tickets: the 三率 table counts it, every rate with its counts';

export function makeTicketSteps(options: TicketFlowOptions): TicketStep[] {
  const flow = {
    title: '',
    number: '',
    id: '',
    dispatcher: null as Page | null,
  };

  const shot = async (page: Page, name: string) => {
    if (!options.screenshotsDir) return;
    await mkdir(options.screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(options.screenshotsDir, `e2e-tickets-${name}.png`), fullPage: true });
  };

  const open = async (w: TicketWorld, username: string): Promise<Page> => {
    const page = await newPage(w);
    return signIn(page, w.baseUrl, username, options.password);
  };
  const status = waitForStatus;
  const act = submitAct;

  return [
    {
      name: CREATE,
      needs: options.needs,
      timeoutMs: 90_000,
      run: async (w, note) => {
        const page = await open(w, 'dispatcher');
        flow.dispatcher = page;
        await page.goto(`${w.baseUrl}/tickets`);
        await page.getByTestId('tickets-table').waitFor();
        await page.getByTestId('ticket-create').click();
        const form = page.getByTestId('ticket-form');
        await form.waitFor();
        flow.title = `井盖缺失 e2e ${Date.now().toString(36)}`;
        await pickOption(page, page.getByTestId('ticket-form-type'), '投诉');
        await pickCascader(page, page.getByTestId('ticket-form-category'), ['城市管理', '市政设施', '井盖缺失']);
        await page.getByTestId('ticket-form-title').fill(flow.title);
        await page.getByTestId('ticket-form-content').fill('太湖路人行道井盖缺失，夜间有行人踩空的危险。<b>not markup</b>');
        await page.getByTestId('ticket-form-address').fill('太湖路 8 号门前');
        await numberInput(page, 'ticket-form-lon').fill(POINT.lon);
        await numberInput(page, 'ticket-form-lat').fill(POINT.lat);
        await page.getByTestId('ticket-form-name').fill('王先生');
        await page.getByTestId('ticket-form-phone').fill('13800138000');
        await shot(page, '1-form');
        // A double click must not record two tickets (Idempotency-Key).
        await page.getByTestId('ticket-form-submit').dblclick();
        await page.waitForURL((u) => /^\/tickets\/[0-9a-f-]{36}$/.test(u.pathname), { timeout: 30_000 });
        flow.id = new URL(page.url()).pathname.split('/').pop()!;
        const detail = page.getByTestId('ticket-detail');
        await detail.waitFor();
        flow.number = (await detail.getAttribute('data-number')) ?? '';
        await status(page, 'received');
        const content = await page.getByTestId('ticket-content').textContent();
        if (!content?.includes('<b>not markup</b>')) throw new Error(`citizen text not shown as plain text: ${content}`);
        const phone = await page.getByTestId('ticket-phone').textContent();
        if (phone?.includes('13800138000')) throw new Error(`phone not masked: ${phone}`);

        const res = await page.request.get(`${w.baseUrl}/api/v1/tickets?q=${encodeURIComponent(flow.title)}`);
        const same = ((await res.json()) as { total: number }).total;
        if (same !== 1) throw new Error(`${same} tickets titled "${flow.title}" (double submit made duplicates?)`);

        await page.goto(`${w.baseUrl}/tickets?view=pending`);
        await page.locator(`[data-testid=ticket-row][data-number="${flow.number}"]`).waitFor();
        await shot(page, '2-queue');
        note(`ticket ${flow.number} (${flow.id})`);
      },
    },
    {
      name: DISPATCH,
      needs: [CREATE],
      run: async (w) => {
        const page = need(flow.dispatcher);
        await page.locator(`[data-testid=ticket-row][data-number="${flow.number}"]`).click();
        await page.getByTestId('ticket-detail').waitFor();
        await act(
          page,
          'dispatch',
          async (modal) => {
            // The routing table suggests 城管 for 城市管理 with its reason: choose it by clicking.
            const suggestion = modal.locator(`[data-testid=dispatch-suggestion][data-unit="${URBAN}"]`);
            await suggestion.waitFor();
            await suggestion.click();
            const chosen = await modal.getByTestId('act-unit-select').textContent();
            if (!chosen?.includes('城市管理')) throw new Error(`the suggestion did not fill the unit: "${chosen}"`);
            await shot(page, '3-dispatch');
          },
          'dispatched',
        );
        const res = await page.request.get(`${w.baseUrl}/api/v1/tickets/${flow.id}`);
        const { ticket } = (await res.json()) as { ticket: { leadUnit: string } };
        if (ticket.leadUnit !== URBAN) throw new Error(`lead unit ${ticket.leadUnit}`);
      },
    },
    {
      name: HANDLE,
      needs: [DISPATCH],
      timeoutMs: 90_000,
      run: async (w) => {
        const page = await open(w, 'handler-urban');
        const menu = page.getByTestId('side-menu');
        await menu.getByText('我的待办', { exact: true }).waitFor();
        if (await menu.getByText('工单', { exact: true }).count()) throw new Error('a handler sees the 工单 queue');
        await page.goto(`${w.baseUrl}/inbox`);
        const row = page.locator(`[data-testid=ticket-row][data-number="${flow.number}"]`);
        await row.waitFor(); // default tab: 待签收
        await shot(page, '4-inbox');
        await row.click();
        await page.getByTestId('ticket-detail').waitFor();
        await act(page, 'accept', async () => undefined, 'in_progress');
        await act(
          page,
          'reply',
          async (modal) => {
            await modal.getByTestId('act-reply').fill('已补装井盖并设置警示标志，现场恢复通行。');
            await pickOption(page, modal.getByTestId('act-resolution'), '已解决');
          },
          'replied',
        );
        await shot(page, '5-replied');
      },
    },
    {
      name: FOLLOW_UP,
      needs: [HANDLE],
      run: async () => {
        const page = need(flow.dispatcher);
        await page.reload();
        await status(page, 'replied');
        await act(page, 'followUp', async (modal) => void (await modal.getByTestId('act-rating-satisfied').click()), 'closed');
        const kinds = await page.locator('[data-testid=ticket-timeline] [data-testid=timeline-event]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
        const expected = ['received', 'dispatched', 'accepted', 'replied', 'followed_up'];
        if (kinds.join() !== expected.join()) throw new Error(`timeline ${kinds.join(', ')}; expected ${expected.join(', ')}`);
        // Closed after 满意: no act is left (重办 follows only 不满意).
        const left = await page.locator('[data-testid=ticket-actions] button').allTextContents();
        if (left.length) throw new Error(`acts left on a closed ticket: ${left.join(', ')}`);
        await shot(page, '6-closed');
      },
    },
    {
      name: DASHBOARD,
      needs: [FOLLOW_UP],
      run: async (w, note) => {
        const page = await open(w, 'leader');
        await page.goto(`${w.baseUrl}/dashboard`);
        await page.getByTestId('dashboard').waitFor();
        const closed = Number(await page.getByTestId('dashboard-count-closed').textContent());
        const openCount = Number(await page.getByTestId('dashboard-open-count').textContent());
        const overdue = Number(await page.getByTestId('dashboard-overdue-count').textContent());
        const total = async (query: string) =>
          ((await (await page.request.get(`${w.baseUrl}/api/v1/tickets?${query}&pageSize=1`)).json()) as { total: number }).total;
        const [apiClosed, apiOpen, apiOverdue] = await Promise.all([total('status=closed'), total('status=open'), total('status=open&overdue=true')]);
        if (closed < 1 || closed !== apiClosed) throw new Error(`dashboard closed ${closed}, API ${apiClosed}`);
        if (openCount !== apiOpen || overdue !== apiOverdue) throw new Error(`dashboard open/overdue ${openCount}/${overdue}, API ${apiOpen}/${apiOverdue}`);
        await page.locator('[data-testid=ticket-map][data-map-state=ready], [data-testid=ticket-map][data-map-state=unavailable]').first().waitFor();
        await page.waitForTimeout(500); // let the chart and map draw before the screenshot
        await shot(page, '7-dashboard');
        note(`dashboard: closed ${closed}, open ${openCount}, overdue ${overdue}`);
      },
    },
    {
      name: STATS,
      needs: [FOLLOW_UP],
      run: async (w, note) => {
        // The 三率 table by unit counts this month's dispatch, reply and follow-up, each rate with its counts.
        const page = await open(w, 'leader');
        await page.goto(`${w.baseUrl}/stats`);
        await page.getByTestId('stats-page').waitFor();
        const rows = page.locator('[data-testid=stats-table] .ant-table-tbody tr.ant-table-row');
        await rows.first().waitFor();
        const total = (await page.locator('[data-testid=stats-table] .ant-table-summary').textContent()) ?? '';
        if (!/\(\d+\/\d+\)/.test(total)) throw new Error(`no rate with its counts in the totals: ${total}`);
        await shot(page, '8-stats');
        note(`stats: ${await rows.count()} unit rows; totals ${total.replace(/\s+/g, ' ').slice(0, 120)}`);
      },
    },
  ];
}

/** For run.ts: its demo password and step names, screenshots in test-results/. */
export const ticketSteps: TicketStep[] = makeTicketSteps({
  password: 'E2e-demo-pass-2026',
  screenshotsDir: path.join(ROOT, 'test-results'),
  needs: ['server starts on a fresh data dir and answers /api/health', 'chromium launches'],
});

// ---- helpers -----------------------------------------------------------------------------------

function need<T>(x: T | null | undefined): T {
  if (x === null || x === undefined) throw new Error('an earlier step did not set this up');
  return x;
}

async function newPage(w: TicketWorld): Promise<Page> {
  const context = await need(w.browser).newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  w.contexts.push(context);
  context.setDefaultTimeout(45_000); // generous: a shared 2-core CI machine can stall a page for seconds
  const page = await context.newPage();
  page.on('pageerror', (e) => w.browserErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') w.browserErrors.push(`console: ${m.text()}`);
  });
  return page;
}

/** An antd InputNumber's <input>, wherever the test id landed. */
function numberInput(page: Page, testId: string): Locator {
  return page.locator(`input[data-testid=${testId}], [data-testid=${testId}] input`).first();
}

/** Walk an antd Cascader: one column per level. */
async function pickCascader(page: Page, cascader: Locator, labels: string[]): Promise<void> {
  await cascader.click();
  const menus = page.locator('.ant-cascader-dropdown:not(.ant-cascader-dropdown-hidden) .ant-cascader-menu');
  for (const [i, label] of labels.entries()) {
    await menus.nth(i).locator('.ant-cascader-menu-item').filter({ hasText: new RegExp(`^${label}$`) }).click();
  }
  await page.keyboard.press('Escape');
}
