/**
 * End-to-end flow of a 民生微实事 micro project, as steps for test/e2e/run.ts:
 *
 *   a resident on a phone opens /micro/new from a QR link (?area=…), writes a proposal with a
 *   photo, confirms the phone with the SMS code (read from the server's log: the development SMS
 *   sender writes `[sms:dev] <phone>: …验证码是 123456…`) and gets a number → another resident on a
 *   phone opens the proposal, confirms a phone and supports it (a second tap is refused) → the
 *   street admin of 香港中路街道 screens it (采纳, with a published reason) and records design,
 *   construction and acceptance (验收) → after each step the supporter reloads the public page and
 *   sees the step, with the people notified; at the end 我的 lists the four notices sent to them.
 *
 * Screenshots go to test-results/e2e-micro-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type FlowStep, type FlowWorld, signIn } from './ui';
import { smsCodeFromLog } from './resident-flow';

export interface MicroWorld extends FlowWorld {
  server: { output: string[] } | null;
}

export type MicroStep = FlowStep<MicroWorld>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A grid cell of 香港中路街道, the street of the demo account street-admin. */
const AREA = '370202001001001';
/** A 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5c5e3a40000000049454e44ae426082', 'hex');

export const PROPOSE = 'micro: a resident proposes on a phone (/micro/new from a QR link), with a photo and a phone code';
export const SUPPORT = 'micro: another resident supports it once (a second support is refused)';
export const STAGES = 'micro: the street screens and accepts; design, construction and acceptance recorded; the supporter sees each step';

export function makeMicroSteps(options: { password: string; screenshotsDir: string | null; needs: string[] }): MicroStep[] {
  const flow = { number: '', proposer: null as Page | null, supporter: null as Page | null, supporterPhone: '' };
  const shot = async (page: Page, name: string) => {
    if (!options.screenshotsDir) return;
    await mkdir(options.screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(options.screenshotsDir, `e2e-micro-${name}.png`), fullPage: true });
  };

  /** Confirm a phone on a page showing the PhoneGate. */
  const verifyPhone = async (w: MicroWorld, page: Page, phone: string) => {
    await page.getByTestId('micro-phone').fill(phone);
    await page.getByTestId('micro-send-code').click();
    const code = await smsCodeFromLog(() => need(w.server).output, phone);
    await page.getByTestId('micro-code').fill(code);
    await page.getByTestId('micro-verify').click();
    // The gate shows the confirmed number, or the page moves on to its action (支持).
    await page.locator('[data-testid=micro-verified], [data-testid=micro-support]').first().waitFor();
  };

  return [
    {
      name: PROPOSE,
      needs: options.needs,
      timeoutMs: 90_000,
      run: async (w, note) => {
        const page = await newPage(w, { width: 390, height: 844 }, true);
        flow.proposer = page;
        await page.goto(`${w.baseUrl}/micro`);
        await page.getByTestId('micro-counts').waitFor();
        // The demo programme is listed: the seeds' 14 proposals, 3 in design.
        await page.locator('[data-testid=micro-counts] [data-status=design]').filter({ hasText: '3' }).waitFor();

        await page.goto(`${w.baseUrl}/micro/new?area=${AREA}`);
        await page.getByTestId('micro-form').waitFor();
        await page.getByTestId('micro-area').waitFor();
        // Not verified yet: the submit button says so and is disabled.
        if (!(await page.getByTestId('micro-submit').isDisabled())) throw new Error('submit is enabled before the phone is confirmed');
        await page.getByTestId('micro-title').fill('公交站旁加装候车座椅');
        await page.getByTestId('micro-description').fill('公交站没有座椅，老人候车只能站着，希望加装两组座椅和遮阳棚。');
        await page.locator('input[data-testid=micro-cost], [data-testid=micro-cost] input').first().fill('12000');
        await page.getByTestId('micro-address').fill('香港中路公交站东侧');
        await page.getByTestId('micro-photos').setInputFiles({ name: '现场.png', mimeType: 'image/png', buffer: PNG });
        const phone = `137${String(Date.now()).slice(-8)}`;
        await verifyPhone(w, page, phone);
        await shot(page, '1-form');
        await page.getByTestId('micro-submit').click();
        await page.getByTestId('micro-proposed-number').waitFor({ timeout: 30_000 });
        flow.number = ((await page.getByTestId('micro-proposed-number').textContent()) ?? '').trim();
        if (!/^WS\d{4}-\d{4}$/.test(flow.number)) throw new Error(`proposal number "${flow.number}"`);
        await page.getByTestId('micro-proposed-link').click();
        await page.locator('[data-testid=micro-status][data-status=submitted]').waitFor();
        // The proposer cannot support their own proposal; the photo is shown.
        await page.getByText('这是您提出的提议').waitFor();
        if ((await page.locator('.ms-micro-photos img').count()) !== 1) throw new Error('the photo is not shown');
        await shot(page, '2-proposed');
        note(`proposal ${flow.number} by ${phone}`);
      },
    },
    {
      name: SUPPORT,
      needs: [PROPOSE],
      timeoutMs: 60_000,
      run: async (w) => {
        const page = await newPage(w, { width: 390, height: 844 }, true);
        flow.supporter = page;
        await page.goto(`${w.baseUrl}/micro`);
        const card = page.locator(`[data-testid=micro-card][data-number="${flow.number}"]`);
        await card.waitFor();
        await card.click();
        await page.getByTestId('micro-proposal').waitFor();
        flow.supporterPhone = `136${String(Date.now()).slice(-8)}`;
        await verifyPhone(w, page, flow.supporterPhone);
        await page.getByTestId('micro-support').click();
        await page.getByTestId('micro-supported').waitFor();
        const n = (await page.getByTestId('micro-supports').textContent())?.trim();
        if (n !== '1') throw new Error(`supporters shown as ${n}`);
        // A second support from the same phone is refused by the server (and the database).
        const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('minsheng.micro.resident') ?? '{}').token as string);
        const again = await page.request.post(`${w.baseUrl}/api/v1/public/micro/proposals/${flow.number}/supports`, { headers: { 'x-minsheng-csrf': '1', 'x-resident-token': token, 'content-type': 'application/json' }, data: {} });
        if (again.status() !== 409) throw new Error(`a second support answered ${again.status()}`);
        await shot(page, '3-supported');
      },
    },
    {
      name: STAGES,
      needs: [SUPPORT],
      timeoutMs: 150_000,
      run: async (w, note) => {
        const staff = await signIn(await newPage(w, { width: 1280, height: 800 }), w.baseUrl, 'street-admin', options.password);
        await staff.goto(`${w.baseUrl}/micro-admin`);
        const row = staff.locator(`[data-testid=micro-admin-row][data-number="${flow.number}"]`);
        await row.waitFor();
        await row.click();
        await staff.getByTestId('micro-admin-detail').waitFor();
        const supporter = need(flow.supporter);

        const steps: { act: string; status: string; kind: string; fill?: (p: Page) => Promise<void> }[] = [
          { act: 'accept', status: 'accepted', kind: 'accepted', fill: async (p) => p.getByTestId('micro-act-reason').fill('居民需求集中，位置合适，予以采纳。') },
          { act: 'startDesign', status: 'design', kind: 'design_started', fill: async (p) => p.getByTestId('micro-act-note').fill('委托设计单位出施工图。') },
          { act: 'startConstruction', status: 'construction', kind: 'construction_started' },
          { act: 'completeAcceptance', status: 'completed', kind: 'completed', fill: async (p) => p.getByTestId('micro-act-note').fill('街道、社区和居民代表联合验收合格。') },
        ];
        for (const s of steps) {
          await staff.getByTestId(`micro-act-${s.act}`).click();
          await staff.getByTestId('micro-act-date').waitFor();
          if (s.fill) await s.fill(staff);
          await staff.getByTestId('micro-act-submit').click();
          await staff.locator(`[data-testid=micro-admin-status-tag][data-status=${s.status}]`).waitFor({ timeout: 30_000 });
          // The supporter sees the step on the public page, with the people told about it.
          await supporter.reload();
          const step = supporter.locator(`[data-testid=micro-step][data-kind=${s.kind}]`);
          await step.waitFor({ timeout: 20_000 });
          const text = await step.innerText();
          if (!text.includes('已通知 2 人')) throw new Error(`step ${s.kind} on the public page: "${text}"`);
          await supporter.locator(`[data-testid=micro-status][data-status=${s.status}]`).waitFor();
        }
        await shot(staff, '4-staff');
        await shot(supporter, '5-public-steps');
        // Out of order is refused with the allowed acts named.
        const detail = await staff.request.get(`${w.baseUrl}/api/v1/micro/proposals?q=${flow.number}`);
        const id = ((await detail.json()) as { items: { id: string }[] }).items[0]!.id;
        const late = await staff.request.post(`${w.baseUrl}/api/v1/micro/proposals/${id}/start-design`, { headers: { 'x-minsheng-csrf': '1' }, data: { date: '2026-01-01' } });
        if (late.status() !== 409) throw new Error(`an act after acceptance answered ${late.status()}`);

        // 我的: the supporter's four notices, newest first.
        await supporter.goto(`${w.baseUrl}/micro/me`);
        await supporter.getByTestId('micro-notices').waitFor();
        const kinds = await supporter.locator('[data-testid=micro-notice]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
        if (kinds.join() !== 'completed,construction_started,design_started,accepted') throw new Error(`notices ${kinds.join(', ')}`);
        await shot(supporter, '6-my-notices');
        // And the SMS sender was called for the supporter at each step.
        const sms = need(w.server).output.filter((l) => l.includes(`[sms:dev] ${flow.supporterPhone}:`) && l.includes(flow.number));
        if (sms.length !== 4) throw new Error(`${sms.length} SMS to the supporter in the log`);
        note(`${flow.number}: accepted → design → construction → acceptance; supporter notified 4 times`);
      },
    },
  ];
}

export const microSteps: MicroStep[] = makeMicroSteps({
  password: 'E2e-demo-pass-2026',
  screenshotsDir: path.join(ROOT, 'test-results'),
  needs: ['server starts on a fresh data dir and answers /api/health', 'chromium launches'],
});

function need<T>(x: T | null | undefined): T {
  if (x === null || x === undefined) throw new Error('an earlier step did not set this up');
  return x;
}

async function newPage(w: MicroWorld, viewport: { width: number; height: number }, phone = false): Promise<Page> {
  const context = await need(w.browser).newContext({ viewport, locale: 'zh-CN', ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  w.contexts.push(context);
  context.setDefaultTimeout(45_000); // generous: a shared 2-core CI machine can stall a page for seconds
  const page = await context.newPage();
  page.on('pageerror', (e) => w.browserErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') w.browserErrors.push(`console: ${m.text()}`);
  });
  return page;
}
