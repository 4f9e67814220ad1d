/**
 * End-to-end flow of a resident's report (居民反映), as steps for test/e2e/run.ts:
 *
 *   a resident on a phone opens /report?area=… (the QR link 码上办), reports 井盖缺失 with an
 *   address, confirms the phone with the SMS code (read from the server's log: the development
 *   sender writes `[sms:dev] <phone>: 【民生】您的验证码是 123456…` to stderr) and gets a number and
 *   query code → the dispatcher finds it in 工单 and dispatches it to 城管 → handler-urban accepts and
 *   replies → the resident opens /track, sees the reply and taps 满意 → the ticket is closed.
 *
 * The steps read only what they need of run.ts's `World`; the server's output lines come from
 * `w.server.output` (run.ts keeps the last 400 lines of its stdout and stderr there). To run them:
 *
 *   import { residentSteps } from './resident-flow';
 *   const STEPS: Step[] = [ …existing steps…, ...residentSteps ];
 *
 * Screenshots go to test-results/e2e-resident-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type FlowStep, type FlowWorld, pickOption, signIn, submitAct, waitForStatus } from './ui';

/** The part of run.ts's World these steps use. */
export interface ResidentWorld extends FlowWorld {
  /** the server under test; `output` holds its recent stdout/stderr lines */
  server: { output: string[] } | null;
}

export type ResidentStep = FlowStep<ResidentWorld>;

export interface ResidentFlowOptions {
  /** MINSHENG_DEMO_PASSWORD of the server under test */
  password: string;
  /** where screenshots go; none when null */
  screenshotsDir: string | null;
  /** names of the steps that start the server and the browser (run.ts's SERVER and BROWSER) */
  needs: string[];
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const URBAN = 'department:urban-management';
/** A grid cell of 香港中路街道: what a lamp-post QR code links to. */
const AREA = '370202001001001';
const REPLY = '已补装井盖并设置警示标志，现场恢复通行。';

export const REPORT = 'resident: reports 井盖缺失 on a phone from the QR link (/report?area=…)';
export const STAFF = 'resident: dispatcher dispatches the report to 城管; handler-urban accepts and replies';
export const TRACK = 'resident: /track shows the reply; 满意 closes the ticket';

/**
 * The newest SMS code sent to `phone`, from the server's log lines (development SMS sender).
 * Waits up to `timeoutMs` for it to appear.
 */
export async function smsCodeFromLog(lines: () => readonly string[], phone: string, timeoutMs = 10_000): Promise<string> {
  const re = new RegExp(`\\[sms:dev\\] ${phone}: .*?验证码是\\s*(\\d{6})`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = lines();
    for (let i = all.length - 1; i >= 0; i--) {
      const m = re.exec(all[i]!);
      if (m) return m[1]!;
    }
    if (Date.now() > deadline) throw new Error(`no [sms:dev] line for ${phone} in the server output within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function makeResidentSteps(options: ResidentFlowOptions): ResidentStep[] {
  const flow = {
    number: '',
    queryCode: '',
    id: '',
    resident: null as Page | null,
    dispatcher: null as Page | null,
  };

  const shot = async (page: Page, name: string) => {
    if (!options.screenshotsDir) return;
    await mkdir(options.screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(options.screenshotsDir, `e2e-resident-${name}.png`), fullPage: true });
  };

  const staff = async (w: ResidentWorld, username: string): Promise<Page> => {
    const page = await newPage(w, { width: 1280, height: 800 });
    return signIn(page, w.baseUrl, username, options.password);
  };
  const status = waitForStatus;
  const act = submitAct;

  return [
    {
      name: REPORT,
      needs: options.needs,
      timeoutMs: 90_000,
      run: async (w, note) => {
        // A phone: 390×844, touch, Chinese.
        const page = await newPage(w, { width: 390, height: 844 }, true);
        flow.resident = page;
        // The staff login page links to the residents' page.
        await page.goto(`${w.baseUrl}/login`);
        await page.getByTestId('resident-link').waitFor();

        await page.goto(`${w.baseUrl}/report?area=${AREA}`);
        await page.getByTestId('report-form').waitFor();
        const area = await page.getByTestId('report-area').textContent();
        if (!area?.includes(AREA)) throw new Error(`the QR area is not shown: "${area}"`);
        // Submitting empty shows the required fields and sends nothing.
        await page.getByTestId('report-topic').getByText('井盖缺失', { exact: true }).click();
        await page.getByTestId('report-content').fill('太湖路人行道井盖缺失，夜间有行人踩空的危险。<b>not markup</b>');
        await page.getByTestId('report-address').fill('太湖路 8 号门前');
        await page.getByTestId('report-name').fill('王女士');
        const phone = `139${String(Date.now()).slice(-8)}`;
        await page.getByTestId('report-phone').fill(phone);
        await page.getByTestId('report-send-code').click();
        // The button counts down and cannot be pressed again.
        await page.locator('[data-testid=report-send-code]:disabled').waitFor({ timeout: 10_000 });
        const label = await page.getByTestId('report-send-code').textContent();
        if (!/\d+\s*秒后重发/.test(label ?? '')) throw new Error(`no countdown on the code button: "${label}"`);
        const code = await smsCodeFromLog(() => need(w.server).output, phone);
        await page.getByTestId('report-code').fill(code);
        await shot(page, '1-form');

        // A double tap must not make two tickets (button disabled + Idempotency-Key).
        await page.getByTestId('report-submit').dblclick();
        await page.getByTestId('report-number').waitFor({ timeout: 30_000 });
        flow.number = ((await page.getByTestId('report-number').textContent()) ?? '').trim();
        flow.queryCode = ((await page.getByTestId('report-query-code').textContent()) ?? '').trim();
        if (!/^\d{8}-\d{6}$/.test(flow.number)) throw new Error(`ticket number "${flow.number}"`);
        if (!/^\d{6}$/.test(flow.queryCode)) throw new Error(`query code "${flow.queryCode}"`);
        const href = await page.getByTestId('report-track-link').getAttribute('href');
        if (href !== `/track?number=${flow.number}&code=${flow.queryCode}`) throw new Error(`查看进度 links to ${href}`);
        await shot(page, '2-done');
        note(`ticket ${flow.number}, query code ${flow.queryCode}, SMS code ${code}`);
      },
    },
    {
      name: STAFF,
      needs: [REPORT],
      timeoutMs: 120_000,
      run: async (w) => {
        const page = await staff(w, 'dispatcher');
        flow.dispatcher = page;
        // Exactly one ticket for the double tap, recorded from the QR link with its category.
        const res = await page.request.get(`${w.baseUrl}/api/v1/tickets?q=${encodeURIComponent(flow.number)}`);
        const list = (await res.json()) as { total: number; items: { id: string; number: string }[] };
        const mine = list.items.filter((t) => t.number === flow.number);
        if (mine.length !== 1) throw new Error(`${mine.length} tickets numbered ${flow.number}`);
        flow.id = mine[0]!.id;
        const detail = (await (await page.request.get(`${w.baseUrl}/api/v1/tickets/${flow.id}`)).json()) as {
          ticket: { channel: string; title: string; category: { code: string } | null; location: { address: string | null; gridCell: { code: string } | null } };
        };
        const t = detail.ticket;
        if (t.channel !== 'qr') throw new Error(`channel ${t.channel}, expected qr`);
        if (t.category?.code !== 'urban.facility.manhole') throw new Error(`category ${t.category?.code}`);
        if (t.title !== '井盖缺失') throw new Error(`title "${t.title}"`);
        if (!t.location.address?.includes('太湖路 8 号门前')) throw new Error(`address "${t.location.address}"`);
        // The QR code's grid cell places the ticket even without a GPS fix.
        if (t.location.gridCell?.code !== AREA) throw new Error(`grid cell ${t.location.gridCell?.code}, expected ${AREA}`);

        await page.goto(`${w.baseUrl}/tickets?view=pending`);
        const row = page.locator(`[data-testid=ticket-row][data-number="${flow.number}"]`);
        await row.waitFor();
        await row.click();
        await page.getByTestId('ticket-detail').waitFor();
        const content = await page.getByTestId('ticket-content').textContent();
        if (!content?.includes('<b>not markup</b>')) throw new Error(`citizen text not shown as plain text: ${content}`);
        await act(
          page,
          'dispatch',
          async (modal) => {
            const suggestion = modal.locator(`[data-testid=dispatch-suggestion][data-unit="${URBAN}"]`);
            await suggestion.waitFor();
            await suggestion.click();
          },
          'dispatched',
        );
        await shot(page, '3-dispatched');

        const handler = await staff(w, 'handler-urban');
        await handler.goto(`${w.baseUrl}/tickets/${flow.id}`);
        await handler.getByTestId('ticket-detail').waitFor();
        await act(handler, 'accept', async () => undefined, 'in_progress');
        await act(
          handler,
          'reply',
          async (modal) => {
            await modal.getByTestId('act-reply').fill(REPLY);
            await pickOption(handler, modal.getByTestId('act-resolution'), '已解决');
          },
          'replied',
        );
      },
    },
    {
      name: TRACK,
      needs: [STAFF],
      timeoutMs: 90_000,
      run: async (w, note) => {
        const page = need(flow.resident);
        // Typed in by hand, as from a note: the form, not the link.
        await page.goto(`${w.baseUrl}/track`);
        await page.getByTestId('track-number').fill(flow.number);
        await page.getByTestId('track-code').fill(flow.queryCode);
        await page.getByTestId('track-submit').click();
        await page.locator('[data-testid=track-status][data-status=replied]').waitFor({ timeout: 30_000 });
        const statusText = (await page.getByTestId('track-status').textContent())?.trim();
        if (statusText !== '已答复') throw new Error(`status shown as "${statusText}"`);
        const reply = await page.getByTestId('track-timeline').getByTestId('track-reply').textContent();
        if (reply?.trim() !== REPLY) throw new Error(`reply shown as "${reply}"`);
        const kinds = await page.locator('[data-testid=track-timeline] [data-testid=track-event]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
        const expected = ['replied', 'accepted', 'dispatched', 'received']; // newest first
        if (kinds.join() !== expected.join()) throw new Error(`timeline ${kinds.join(', ')}; expected ${expected.join(', ')}`);
        const text = await page.getByTestId('track-timeline').innerText();
        for (const word of ['已受理', '已派单', '已签收', '已答复']) if (!text.includes(word)) throw new Error(`timeline lacks ${word}: ${text}`);
        await shot(page, '4-track');

        await page.getByTestId('rate-satisfied').click();
        await page.locator('[data-testid=track-status][data-status=closed]').waitFor({ timeout: 30_000 });
        await page.getByTestId('track-rated').waitFor();
        if (await page.getByTestId('rate-satisfied').count()) throw new Error('the rating buttons are still shown after rating');
        const rating = await page.getByTestId('track-rating').textContent();
        if (!rating?.includes('满意')) throw new Error(`rating shown as "${rating}"`);
        await shot(page, '5-rated');

        // The staff side agrees: closed, the resident's 满意 in the timeline.
        const staffPage = need(flow.dispatcher);
        await staffPage.goto(`${w.baseUrl}/tickets/${flow.id}`);
        await status(staffPage, 'closed');
        const res = await staffPage.request.get(`${w.baseUrl}/api/v1/tickets/${flow.id}`);
        const { ticket } = (await res.json()) as { ticket: { status: string; rating?: string | null } };
        if (ticket.status !== 'closed') throw new Error(`API status ${ticket.status}`);
        await shot(staffPage, '6-closed');
        note(`ticket ${flow.number} closed after the resident's 满意`);
      },
    },
  ];
}

/** For run.ts: its demo password and step names, screenshots in test-results/. */
export const residentSteps: ResidentStep[] = makeResidentSteps({
  password: 'E2e-demo-pass-2026',
  screenshotsDir: path.join(ROOT, 'test-results'),
  needs: ['server starts on a fresh data dir and answers /api/health', 'chromium launches'],
});

// ---- helpers -----------------------------------------------------------------------------------

function need<T>(x: T | null | undefined): T {
  if (x === null || x === undefined) throw new Error('an earlier step did not set this up');
  return x;
}

async function newPage(w: ResidentWorld, viewport: { width: number; height: number }, phone = false): Promise<Page> {
  const context = await need(w.browser).newContext({
    viewport,
    locale: 'zh-CN',
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  w.contexts.push(context);
  context.setDefaultTimeout(45_000); // generous: a shared 2-core CI machine can stall a page for seconds
  const page = await context.newPage();
  page.on('pageerror', (e) => w.browserErrors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') w.browserErrors.push(`console: ${m.text()}`);
  });
  return page;
}

