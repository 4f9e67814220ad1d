/**
 * End-to-end flow of 民生实事 (livelihood projects), as steps for test/e2e/run.ts:
 *
 *   a resident on a phone opens the public page /projects (no login) and sees the demo programme
 *   "15件29项" with its status counts → the urban-management handler signs in, opens item 10.3
 *   (统一南路地被栽植, delayed at 20 %) from the programme, reports 100 % with a photo → the item
 *   shows completed → the resident reloads: one more item completed, the item's card says so and
 *   its timeline shows the report → the leader's summary page shows the same figures.
 *
 * Screenshots go to test-results/e2e-projects-*.png.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type FlowStep, type FlowWorld, signIn } from './ui';

export type ProjectsWorld = FlowWorld;

export type ProjectsStep = FlowStep<ProjectsWorld>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** A 1×1 PNG. */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5c5e3a40000000049454e44ae426082', 'hex');

export const PROJECTS_REPORT = 'projects: an owner reports progress; the public page and the summary figures change';

export function makeProjectsSteps(options: { password: string; screenshotsDir: string | null; needs: string[] }): ProjectsStep[] {
  const shot = async (page: Page, name: string) => {
    if (!options.screenshotsDir) return;
    await mkdir(options.screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(options.screenshotsDir, `e2e-projects-${name}.png`), fullPage: true });
  };
  const count = async (page: Page, testId: string) => Number((await page.getByTestId(testId).locator('b').textContent())?.trim());

  return [
    {
      name: PROJECTS_REPORT,
      needs: options.needs,
      timeoutMs: 240_000,
      run: async (w, note) => {
        // 1. the public page, on a phone, without a login
        const resident = await newPage(w, { width: 390, height: 844 }, true);
        await resident.goto(`${w.baseUrl}/projects?year=2026`);
        const headline = resident.getByTestId('projects-headline');
        await headline.waitFor();
        const before = (await headline.textContent()) ?? '';
        if (!before.startsWith('15件29项')) throw new Error(`public headline: ${before}`);
        const completed0 = await count(resident, 'tile-completed');
        const delayed0 = await count(resident, 'tile-delayed');
        await resident.getByTestId('projects-map').waitFor();
        note(`public before: ${before}`);
        await shot(resident, 'public-before');

        // 2. the owner department's handler reports 100 % with a photo
        const staff = await newPage(w, { width: 1280, height: 900 });
        await signIn(staff, w.baseUrl, 'handler-urban', options.password);
        await staff.goto(`${w.baseUrl}/programme?year=2026`);
        await staff.getByTestId('programme-headline').waitFor();
        await staff.getByTestId('item-row-10.3').click();
        await staff.getByTestId('item-page').waitFor();
        await staff.locator('[data-testid=item-page] [data-testid=project-status][data-status=delayed]').first().waitFor();
        const form = staff.getByTestId('report-form');
        await form.waitFor();
        await staff.getByTestId('value-地被栽植完成率').fill('100');
        await staff.getByTestId('report-narrative').fill('统一南路地被栽植全部完成，现场验收合格。');
        await form.locator('input[type=file]').setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
        await staff.getByTestId('report-submit').click();
        await staff.locator('[data-testid=item-page] .ant-card-head [data-testid=project-status][data-status=completed]').waitFor({ timeout: 30_000 });
        await staff.getByTestId('report-entry').filter({ hasText: '全部完成' }).first().waitFor();
        await shot(staff, 'item-reported');

        // 3. the resident reloads: one more completed, one fewer delayed; the card shows it
        await resident.reload();
        await resident.getByTestId('projects-headline').waitFor();
        const completed1 = await count(resident, 'tile-completed');
        const delayed1 = await count(resident, 'tile-delayed');
        if (completed1 !== completed0 + 1 || delayed1 !== delayed0 - 1) {
          throw new Error(`public counts: completed ${completed0} → ${completed1}, delayed ${delayed0} → ${delayed1}`);
        }
        const card = resident.locator('[data-testid=project-card][data-code="10"]');
        await card.locator('[data-testid=project-leaf][data-code="10.3"]').filter({ hasText: '已完成' }).click();
        await card.getByText('全部完成').first().waitFor();
        await card.locator('.ms-proj__photos img').first().waitFor();
        note(`public after: ${await resident.getByTestId('projects-headline').textContent()}`);
        await shot(resident, 'public-after');

        // 4. the leader's summary agrees
        const leader = await newPage(w, { width: 1280, height: 900 });
        await signIn(leader, w.baseUrl, 'leader', options.password);
        await leader.goto(`${w.baseUrl}/programme-summary?year=2026`);
        await leader.getByTestId('summary-headline').waitFor();
        await leader.getByTestId('summary-bars').locator('canvas').waitFor();
        const sc = await count(leader, 'summary-completed');
        if (sc !== completed1) throw new Error(`summary completed ${sc}, public ${completed1}`);
        await shot(leader, 'summary');
      },
    },
  ];
}

export const projectsSteps: ProjectsStep[] = makeProjectsSteps({
  password: 'E2e-demo-pass-2026',
  screenshotsDir: path.join(ROOT, 'test-results'),
  needs: ['server starts on a fresh data dir and answers /api/health', 'chromium launches'],
});

function need<T>(x: T | null | undefined): T {
  if (x === null || x === undefined) throw new Error('an earlier step did not set this up');
  return x;
}

async function newPage(w: ProjectsWorld, viewport: { width: number; height: number }, phone = false): Promise<Page> {
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
