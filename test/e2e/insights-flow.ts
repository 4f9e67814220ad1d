/**
 * End-to-end steps of 自动分析 in the web app, for test/e2e/run.ts:
 *
 *   two reports of one broken manhole → the dispatcher sees the second as a likely duplicate of
 *   the first, with its evidence → a consultation shows the knowledge base's answer → the
 *   knowledge page lists the demo entries and searches them → the leader's dashboard and the
 *   hot-issue page show the manhole as a hot issue.
 *
 * Tickets are recorded through the API (the intake form has its own flow); what is checked here is
 * what the dispatcher and the leader see. Screenshots go to test-results/e2e-insights-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type FlowStep, type FlowWorld, signIn } from './ui';

type InsightsWorld = FlowWorld;

type InsightsStep = FlowStep<InsightsWorld>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'E2e-demo-pass-2026';
const NEEDS = ['server starts on a fresh data dir and answers /api/health', 'chromium launches'];
const SHOTS = path.join(ROOT, 'test-results');

const DUPLICATE = 'insights: the dispatcher sees a likely duplicate with its evidence';
const KB = 'insights: a consultation shows the knowledge base answer; the knowledge page searches';
const HOT = 'insights: the leader sees the hot issue on the dashboard and the hot-issue page';
const SUGGEST = 'insights: a new ticket shows top-3 categories and a unit with its reason; a vague one waits in 待人工分类';

async function newPage(w: InsightsWorld): Promise<Page> {
  if (!w.browser) throw new Error('no browser');
  const context = await w.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  w.contexts.push(context);
  context.setDefaultTimeout(45_000); // generous: a shared 2-core CI machine can stall a page for seconds
  const page = await context.newPage();
  page.on('pageerror', (e) => w.browserErrors.push(`pageerror: ${e.message}`));
  return page;
}

async function shot(page: Page, name: string) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `e2e-insights-${name}.png`), fullPage: true });
}

async function record(page: Page, baseUrl: string, body: Record<string, unknown>): Promise<{ id: string; number: string }> {
  const res = await page.request.post(`${baseUrl}/api/v1/tickets`, { headers: { 'x-minsheng-csrf': '1' }, data: { channel: 'hotline', requester: { name: '演示居民', phone: '10000009999' }, ...body } });
  if (res.status() !== 201) throw new Error(`record: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { ticket: { id: string; number: string } }).ticket;
}

export function makeInsightsSteps(): InsightsStep[] {
  const flow = { first: null as { id: string; number: string } | null, dispatcher: null as Page | null };
  return [
    {
      name: DUPLICATE,
      needs: NEEDS,
      timeoutMs: 120_000,
      run: async (w, note) => {
        const page = await signIn(await newPage(w), w.baseUrl, 'dispatcher', PASSWORD);
        flow.dispatcher = page;
        const location = { lon: 120.3605, lat: 36.0684 };
        flow.first = await record(page, w.baseUrl, { type: 'complaint', title: '人行道井盖丢失', content: '香港中路人行道上一个井盖丢失，晚上行人容易掉进去，很危险', location });
        const second = await record(page, w.baseUrl, { type: 'complaint', title: '井盖丢失很危险', content: '人行道井盖丢失了，晚上行人容易掉进去', location: { lon: 120.3606, lat: 36.0685 } });
        await page.goto(`${w.baseUrl}/tickets/${second.id}`);
        const item = page.getByTestId('ticket-duplicates').getByTestId('duplicate-item').first();
        await item.waitFor({ timeout: 60_000 });
        const text = (await item.textContent()) ?? '';
        if (!text.includes(flow.first.number)) throw new Error(`duplicate shown is not ${flow.first.number}: ${text}`);
        if (!/井盖/.test(text)) throw new Error(`no shared words in the evidence: ${text}`);
        note(`duplicate: ${text.slice(0, 80)}`);
        await shot(page, 'duplicates');
      },
    },
    {
      name: KB,
      needs: [DUPLICATE],
      timeoutMs: 120_000,
      run: async (w, note) => {
        const page = flow.dispatcher!;
        const c = await record(page, w.baseUrl, { type: 'consultation', title: '居住证怎么办理', content: '刚来市南区工作，想问居住证怎么办理，需要带什么材料', location: { lon: 120.37, lat: 36.07 } });
        await page.goto(`${w.baseUrl}/tickets/${c.id}`);
        const suggestion = page.getByTestId('kb-suggestions').getByTestId('kb-suggestion').first();
        await suggestion.waitFor({ timeout: 60_000 });
        if (!((await suggestion.textContent()) ?? '').includes('居住证')) throw new Error('the first suggestion is not about 居住证');
        await shot(page, 'kb-suggestion');
        await page.goto(`${w.baseUrl}/knowledge`);
        await page.getByTestId('kb-row-question').first().waitFor();
        const rows = await page.getByTestId('kb-row-question').count();
        await page.getByTestId('kb-search').locator('input').fill('居住证');
        await page.getByTestId('kb-search').locator('input').press('Enter');
        await page.waitForFunction(() => document.querySelectorAll('[data-testid=kb-row-question]').length > 0 && document.querySelector('[data-testid=kb-row-question]')?.textContent?.includes('居住证'));
        note(`${rows} entries listed; the search puts 居住证 first`);
        await shot(page, 'knowledge');
      },
    },
    {
      name: SUGGEST,
      needs: [DUPLICATE],
      timeoutMs: 120_000,
      run: async (w, note) => {
        const page = flow.dispatcher!;
        const clear = await record(page, w.baseUrl, { type: 'complaint', title: '小区路灯不亮', content: '我们小区门口的路灯已经坏了一个星期，晚上一片漆黑，老人出门很不方便，请尽快修理路灯', location: { lon: 120.3655, lat: 36.0652 } });
        await page.goto(`${w.baseUrl}/tickets/${clear.id}`);
        const box = page.getByTestId('model-suggestions');
        await box.getByTestId('model-category').nth(2).waitFor({ timeout: 60_000 });
        const cats = await box.getByTestId('model-category').allTextContents();
        if (cats.length !== 3) throw new Error(`expected 3 category suggestions, saw ${cats.length}`);
        if (!cats.every((c) => /\d+(\.\d)?%/.test(c))) throw new Error(`a suggestion has no probability: ${cats.join(' | ')}`);
        const unit = box.getByTestId('model-unit').first();
        await unit.waitFor();
        note(`top-3: ${cats.map((c) => c.replace(/\s+/g, ' ').trim()).join(' · ')}; unit: ${((await unit.textContent()) ?? '').slice(0, 60)}`);
        await shot(page, 'suggestions');
        const vague = await record(page, w.baseUrl, { type: 'help', title: '反映一个情况', content: '你好，我有一个情况想反映一下，麻烦你们尽快联系我，谢谢', location: { lon: 120.3655, lat: 36.0652 } });
        await page.goto(`${w.baseUrl}/tickets?view=triage`);
        await page.getByTestId('triage-queue').waitFor({ timeout: 60_000 });
        const row = page.getByTestId('triage-ticket').filter({ hasText: vague.number });
        await row.waitFor({ timeout: 30_000 });
        const listed = await page.getByTestId('triage-ticket').allTextContents();
        if (listed.includes(clear.number)) throw new Error(`the clear 路灯 ticket ${clear.number} should not need triage`);
        note(`triage queue lists ${listed.length} ticket(s), including ${vague.number}`);
        await shot(page, 'triage');
      },
    },
    {
      name: HOT,
      needs: [DUPLICATE],
      timeoutMs: 120_000,
      run: async (w, note) => {
        const page = await signIn(await newPage(w), w.baseUrl, 'leader', PASSWORD);
        await page.goto(`${w.baseUrl}/dashboard`);
        const card = page.getByTestId('dashboard-hot-issues').getByTestId('hot-issue').first();
        await card.waitFor({ timeout: 60_000 });
        note(`dashboard: ${((await card.textContent()) ?? '').slice(0, 60)}`);
        await page.goto(`${w.baseUrl}/analysis/hot`);
        const label = page.getByTestId('hot-issue-label').first();
        await label.waitFor({ timeout: 60_000 });
        if (!/井盖/.test((await label.textContent()) ?? '')) throw new Error(`the top hot issue is not the manhole: ${await label.textContent()}`);
        await page.getByTestId('hot-timeline').waitFor();
        await shot(page, 'hot');
      },
    },
  ];
}

export const insightsSteps = makeInsightsSteps();
