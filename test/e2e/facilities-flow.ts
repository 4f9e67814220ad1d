/**
 * End-to-end flow of 服务圈 (coverage) in the web app, as a step for test/e2e/run.ts: the leader
 * opens 服务圈, computes EV-charger coverage at 0.9 km, sees the share and the answer, adds a
 * what-if charger on the largest uncovered place and sees the share rise — computed in the
 * browser by the same core the server uses. Dragging on the map is the same call (the map needs
 * WebGL2, which a headless browser may lack; the button path works without it).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FlowStep, type FlowWorld, signIn } from './ui';

export type FacilitiesWorld = FlowWorld;

export type FacilitiesStep = FlowStep<FacilitiesWorld>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function makeFacilitiesSteps(options: { password: string; screenshotsDir: string | null; needs: string[] }): FacilitiesStep[] {
  return [
    {
      name: 'facilities: leader computes EV coverage at 0.9 km, adds a what-if site and sees the share rise',
      needs: options.needs,
      timeoutMs: 150_000,
      run: async (w, note) => {
        if (!w.browser) throw new Error('no browser');
        const context = await w.browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 } });
        w.contexts.push(context);
        const page = await context.newPage();
        await signIn(page, w.baseUrl, 'leader', options.password);
        await page.getByTestId('nav-facilities').click();
        await page.getByTestId('facilities-page').waitFor();
        await page.getByTestId('coverage-compute').click();
        const answer = page.getByTestId('coverage-answer');
        await answer.waitFor({ timeout: 60_000 });
        const text = (await answer.textContent()) ?? '';
        if (!text.includes('900')) throw new Error(`the answer does not name the 900 m radius: ${text}`);
        const share = Number(await page.getByTestId('coverage-share').getAttribute('data-value'));
        if (!(share > 0 && share < 1)) throw new Error(`coverage share ${share}`);
        const whatIf = page.getByTestId('whatif-share');
        const before = Number(await whatIf.getAttribute('data-value'));
        if (Math.abs(before - share) > 1e-3) throw new Error(`what-if baseline ${before} differs from the server's ${share}`);
        await page.getByTestId('whatif-add-0').click();
        await page.waitForFunction(
          ([b]) => Number(document.querySelector('[data-testid=whatif-share]')?.getAttribute('data-value')) > b!,
          [before],
          { timeout: 10_000 },
        );
        const after = Number(await whatIf.getAttribute('data-value'));
        note(`EV coverage at 900 m: ${(share * 100).toFixed(1)} %; with one what-if site on the largest gap: ${(after * 100).toFixed(1)} %`);
        if (options.screenshotsDir) {
          await mkdir(options.screenshotsDir, { recursive: true });
          await page.screenshot({ path: path.join(options.screenshotsDir, 'e2e-facilities-whatif.png'), fullPage: true });
        }
      },
    },
  ];
}

export const facilitiesSteps: FacilitiesStep[] = makeFacilitiesSteps({
  password: 'E2e-demo-pass-2026',
  screenshotsDir: path.join(ROOT, 'test-results'),
  needs: ['server starts on a fresh data dir and answers /api/health', 'chromium launches'],
});
