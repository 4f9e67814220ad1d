/**
 * End-to-end flow of 政策找人 (proactive benefits), as steps for test/e2e/run.ts:
 *
 *   the civil-affairs officer registers a household in the grid worker's grid (an 82-year-old who
 *   does not receive 高龄补贴) → runs the match and sees 高龄补贴's counts (符合 / 在领 / 沉默少数 /
 *   应停发) → opens the person's explanation ("82 岁 ≥ 80 岁 → 第二档") → creates the visit worklist →
 *   the grid worker sees only their grid's visits, on the map and in the list, and records 已申请
 *   from the map popup → the officer's progress by grid counts it → this month's payment cycle is
 *   prepared and reviewed by the officer, refused to them for approval (two-person rule), approved
 *   by admin and frozen → the applicant's receipt is registered (backdated to the 1st) → the frozen
 *   cycle is unchanged and cannot be recomputed, and next month's cycle, compared with it, names
 *   the applicant as added → last (it changes the policy), the officer opens 高龄补贴 in the form
 *   editor, raises the age threshold from 70 to 75 and the first band to 120 元, sees the live count
 *   fall and the JSON tab follow, saves, and the list shows the new version.
 *
 * Screenshots: /tmp/benefits-map.png (the grid worker's worklist map) and test-results/e2e-benefits-*.png
 * (e2e-benefits-policy-editor.png: the form editor with the edited 高龄补贴).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { type FlowStep, type FlowWorld, pickOption, signIn } from './ui';

export type BenefitsWorld = FlowWorld;

export type BenefitsStep = FlowStep<BenefitsWorld>;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const POLICY = 'elderly_allowance';
/** Not a name the demo generator makes (its names end in 演示 too): masked it stays recognisable. */
const NAME = '禤慧兰芳演示';
const MASKED = '禤****示';

export const REGISTER = 'benefits: civil-affairs registers an 82-year-old in the grid worker\'s grid (not receiving 高龄补贴)';
export const MATCH = 'benefits: civil-affairs runs the match; 高龄补贴 shows 符合 / 在领 / 沉默少数 / 应停发 and the person\'s explanation';
export const WORKLIST = 'benefits: civil-affairs creates the visit worklist; progress by grid lists the grid worker\'s grid';
export const VISIT = 'benefits: the grid worker sees only their grid on the map and the list, and records 已申请 from the map';
export const PROGRESS = 'benefits: the officer\'s progress by grid counts the visit';
export const CYCLE = 'benefits: this month\'s cycle is prepared, reviewed, refused to its preparer, approved by admin and frozen';
export const FROZEN = 'benefits: after the applicant\'s receipt is registered the frozen cycle is identical; next month\'s diff names the applicant';
export const EDIT_POLICY = 'benefits: civil-affairs opens 高龄补贴 in the form editor, raises the age threshold and a tier amount, sees the live count fall, saves version n+1';

// ---- dates and a generated ID number (demo numbers start with 99: no province has that code) ----

/** Today in Asia/Shanghai. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const monthOf = (d: string) => d.slice(0, 7);
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
/** A birth date that makes the person 82 today (their birthday about five months ago). */
function birthDate82(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - 5);
  d.setUTCFullYear(d.getUTCFullYear() - 82);
  d.setUTCDate(Math.min(d.getUTCDate(), 28));
  return d.toISOString().slice(0, 10);
}
function idNumber(birth: string, sequence: number, sex: 'M' | 'F'): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const seq = String((sequence * 2 + (sex === 'M' ? 1 : 0)) % 1000).padStart(3, '0');
  const first17 = `990101${birth.replace(/-/g, '')}${seq}`;
  const sum = [...first17].reduce((s, c, i) => s + Number(c) * weights[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

export function makeBenefitsSteps(options: { password: string; screenshotsDir: string | null; mapShot: string; needs: string[] }): BenefitsStep[] {
  const flow = {
    officer: null as Page | null,
    worker: null as Page | null,
    gridCode: '',
    idNumber: '',
    visitId: '',
    doneBefore: -1,
    month: monthOf(today()),
    frozen: { persons: '', total: '', list: '' },
  };
  const shot = async (page: Page, name: string) => {
    if (!options.screenshotsDir) return;
    await mkdir(options.screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(options.screenshotsDir, `e2e-benefits-${name}.png`), fullPage: true });
  };
  const staff = async (w: BenefitsWorld, username: string): Promise<Page> => {
    const context = await need(w.browser).newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 960 } });
    w.contexts.push(context);
    context.setDefaultTimeout(45_000); // generous: a shared 2-core CI machine can stall a page for seconds
    const page = await context.newPage();
    page.on('pageerror', (e) => w.browserErrors.push(`pageerror: ${e.message}`));
    return signIn(page, w.baseUrl, username, options.password);
  };
  const openTab = async (page: Page, label: string) => {
    await page.goto(`${(await page.evaluate(() => location.origin))}/benefits`);
    await page.locator('.ms-benefits .ant-tabs-tab').filter({ hasText: new RegExp(`^${label}$`) }).click();
  };
  /** Upload a CSV on 人口信息 → 导入 and wait for the report; `effectiveOn` types into the date picker. */
  const importCsv = async (page: Page, fileName: string, csv: string, effectiveOn?: string) => {
    await page.goto(`${await page.evaluate(() => location.origin)}/residents/import`);
    await page.locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    if (effectiveOn) {
      const picker = page.getByLabel('生效日期');
      await picker.click();
      await picker.fill(effectiveOn);
      await picker.press('Tab'); // blurring commits a typed date (Enter would submit the form)
    }
    await page.getByTestId('import-submit').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    const title = (await report.locator('.ant-card-head-title').textContent()) ?? '';
    if (!title.includes('已导入')) throw new Error(`the import was not applied: ${(await report.textContent())?.slice(0, 400)}`);
    const created = report.locator('tr.ant-table-row').filter({ hasText: '新增' });
    if ((await created.count()) !== 1) throw new Error(`expected one created row: ${(await report.textContent())?.slice(0, 400)}`);
    return report;
  };
  const cycleRow = (page: Page, month: string) => page.getByTestId(`cycle-${POLICY}-${month}`);
  /** Choose 高龄补贴 and a month in the cycles tab, then 编制批次. */
  const prepare = async (page: Page, month: string) => {
    const select = page.locator('.ms-benefits .ant-select').first();
    if (!((await select.textContent()) ?? '').includes('高龄补贴')) await pickOption(page, select, '高龄补贴');
    await select.filter({ hasText: '高龄补贴' }).waitFor();
    await page.getByTestId('cycle-month').fill(month);
    await page.getByTestId('cycle-prepare').click();
  };
  const cycleStatus = async (page: Page, month: string, status: string) => {
    await cycleRow(page, month).locator(`[data-testid=cycle-status][data-status=${status}]`).waitFor({ timeout: 30_000 });
  };
  /** Persons, amount and the first page of entitlements of a cycle, as the officer sees them. */
  const cycleAsSeen = async (page: Page, month: string) => {
    const row = cycleRow(page, month);
    const persons = (await row.getByTestId('cycle-persons').textContent()) ?? '';
    const total = (await row.getByTestId('cycle-total').textContent()) ?? '';
    await row.locator('.ant-table-row-expand-icon').click();
    const list = page.locator('[data-testid^=cycle-entitlements-]');
    await list.locator('tr.ant-table-row').first().waitFor();
    const text = (await list.first().locator('tbody').textContent()) ?? '';
    await row.locator('.ant-table-row-expand-icon').click();
    return { persons, total, list: text };
  };

  return [
    {
      name: REGISTER,
      needs: options.needs,
      timeoutMs: 90_000,
      run: async (w, note) => {
        // The grid worker's grid, from their own session.
        flow.worker = await staff(w, 'gridworker');
        const me = (await (await flow.worker.request.get(`${w.baseUrl}/api/v1/auth/me`)).json()) as { user: { areaCode: string; areaName: string } };
        flow.gridCode = me.user.areaCode;
        if (!/^\d{15}$/.test(flow.gridCode)) throw new Error(`the grid worker's area is not a grid cell: ${flow.gridCode}`);

        const page = await staff(w, 'civil-affairs');
        flow.officer = page;
        const birth = birthDate82(today());
        flow.idNumber = idNumber(birth, 417, 'F');
        const csv = [
          '户编号,与户主关系,姓名,身份证号,性别,出生日期,户籍类型,网格代码,楼栋地址,房号',
          `E2E-BEN-1,户主,${NAME},${flow.idNumber},女,${birth},本区,${flow.gridCode},${me.user.areaName}演示楼1号,1-101`,
        ].join('\n');
        // Registered from the 1st of last month: on the 1st of this month she already lived here.
        const report = await importCsv(page, '新登记住户.csv', csv, `${previousMonth(flow.month)}-01`);
        note(`registered ${MASKED} (born ${birth}) in grid ${flow.gridCode} ${me.user.areaName}: ${(await report.locator('.ant-statistic').allTextContents()).join(' ')}`);
      },
    },
    {
      name: MATCH,
      needs: [REGISTER],
      timeoutMs: 120_000,
      run: async (w, note) => {
        const page = need(flow.officer);
        await openTab(page, '政策');
        const policyName = (await page.getByTestId(`policy-${POLICY}`).textContent())?.trim();
        if (policyName !== '高龄补贴') throw new Error(`the policy list names ${POLICY} "${policyName}"`);
        await openTab(page, '比对结果');
        await page.getByTestId('run-match').click();
        await page.getByText(`参考日期 ${today()}`).waitFor({ timeout: 90_000 });
        const n = async (id: string) => Number((await page.getByTestId(`${id}-${POLICY}`).textContent())?.trim());
        const counts = { eligible: await n('eligible'), receiving: await n('receiving'), missing: await n('missing'), stop: await n('stop') };
        if (!(counts.missing >= 1)) throw new Error(`no 沉默少数 for 高龄补贴: ${JSON.stringify(counts)}`);
        if (counts.eligible !== counts.receiving + counts.missing) throw new Error(`符合 ≠ 在领 + 沉默少数: ${JSON.stringify(counts)}`);
        note(`高龄补贴: 符合 ${counts.eligible}, 在领 ${counts.receiving}, 沉默少数 ${counts.missing}, 应停发 ${counts.stop}`);

        // The 沉默少数 list, each row with its explanation; then the stop list.
        await page.getByTestId(`missing-${POLICY}`).click();
        const rows = page.locator('[data-testid=result-list] tr.ant-table-row');
        await rows.first().waitFor();
        const first = (await rows.first().textContent()) ?? '';
        if (!/岁 ≥ \d+ 岁 → 第.档/.test(first)) throw new Error(`a 沉默少数 row does not explain its verdict: ${first}`);
        await page.getByTestId(`stop-${POLICY}`).click();
        await page.locator('h5').filter({ hasText: '应停发' }).waitFor();

        // The person's own page: every policy explained for her.
        await page.goto(`${w.baseUrl}/residents`);
        await page.getByLabel('身份证号').fill(flow.idNumber);
        await page.getByTestId('residents-search').click();
        await page.locator('[data-testid=residents-table] tr.ant-table-row').filter({ hasText: '82' }).getByRole('link').first().click();
        // Registered from the 1st of last month (the date picker took the effective date).
        await page.getByTestId('person-card').getByText(`${previousMonth(flow.month)}-01`).first().waitFor();
        const panel = page.getByTestId('person-benefits');
        await panel.getByText('82 岁 ≥ 80 岁 → 第二档', { exact: false }).first().waitFor({ timeout: 30_000 });
        const line = (await panel.locator('.ant-list-item').filter({ hasText: POLICY }).first().textContent()) ?? '';
        if (!line.includes('沉默少数')) throw new Error(`高龄补贴 is not 沉默少数 for her: ${line}`);
        note(`explanation: ${line.replace(/\s+/g, ' ').slice(0, 160)}`);
        await shot(page, 'explanation');
      },
    },
    {
      name: WORKLIST,
      needs: [MATCH],
      run: async (_w, note) => {
        const page = need(flow.officer);
        await openTab(page, '走访清单');
        await page.getByTestId('create-visits').click();
        const done = page.locator('.ant-message').getByText(/已生成 \d+ 条走访任务/);
        await done.waitFor();
        note((await done.textContent()) ?? '');
        const cell = page.getByTestId(`grid-done-${flow.gridCode}`);
        await cell.waitFor();
        const [doneN, total] = ((await cell.textContent()) ?? '').split('/').map(Number) as [number, number];
        if (!(total >= 1)) throw new Error(`the grid worker's grid has no visits: ${await cell.textContent()}`);
        flow.doneBefore = doneN;
        note(`grid ${flow.gridCode}: ${doneN}/${total} visited`);
      },
    },
    {
      name: VISIT,
      needs: [WORKLIST],
      timeoutMs: 60_000,
      run: async (w, note) => {
        const page = need(flow.worker);
        await page.goto(`${w.baseUrl}/benefits`);
        const rows = page.locator('[data-testid=visit-list] tr.ant-table-row');
        await rows.first().waitFor();
        // Only their grid: every row's grid is theirs (all rows on one page: 50 per page).
        const grids = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent?.trim() ?? ''));
        const stray = grids.filter((g) => g !== flow.gridCode);
        if (stray.length) throw new Error(`visits outside grid ${flow.gridCode}: ${stray.join(', ')}`);
        const row = rows.filter({ hasText: MASKED }).filter({ hasText: '高龄补贴' });
        flow.visitId = need(await row.first().getAttribute('data-row-key'));
        if (!((await row.first().textContent()) ?? '').includes('82 岁 ≥ 80')) throw new Error(`her visit does not say why: ${await row.first().textContent()}`);

        // The map: one marker per household, coloured by the outcome; her popup records the outcome.
        const map = page.locator('[data-testid=visit-map][data-map-state=ready], [data-testid=visit-map][data-map-state=unavailable]');
        await map.first().waitFor({ timeout: 25_000 });
        const state = await map.first().getAttribute('data-map-state');
        const markers = Number(await map.first().getAttribute('data-points'));
        if (!(markers >= 1 && markers <= grids.length)) throw new Error(`${markers} markers for ${grids.length} visits`);
        await page.getByTestId('visit-legend').getByText('待走访').waitFor();
        note(`${grids.length} visits in grid ${flow.gridCode}, ${markers} households on the map (map ${state})`);
        if (state === 'ready') {
          await row.getByTestId(`visit-locate-${flow.visitId}`).click();
          const popup = page.getByTestId('visit-map-popup');
          await popup.getByText(MASKED).first().waitFor();
          await popup.getByText('高龄补贴').first().waitFor();
          await popup.getByTestId(`popup-applied-${flow.visitId}`).click();
          await popup.locator(`[data-testid=visit-status-${flow.visitId}][data-status=applied]`).waitFor();
          await page.waitForTimeout(300); // the marker's new colour is drawn on the next frame
          await mkdir(path.dirname(options.mapShot), { recursive: true });
          await page.screenshot({ path: options.mapShot, fullPage: true });
          note(`worklist map screenshot: ${options.mapShot}`);
        } else {
          await page.getByTestId(`visit-applied-${flow.visitId}`).click(); // without WebGL the list still records it
        }
        await page.locator(`[data-testid=visit-list] [data-testid=visit-status-${flow.visitId}][data-status=applied]`).waitFor();
      },
    },
    {
      name: PROGRESS,
      needs: [VISIT],
      run: async (_w, note) => {
        const page = need(flow.officer);
        await openTab(page, '走访清单');
        const cell = page.getByTestId(`grid-done-${flow.gridCode}`);
        await cell.waitFor();
        const text = (await cell.textContent()) ?? '';
        if (Number(text.split('/')[0]) !== flow.doneBefore + 1) throw new Error(`grid ${flow.gridCode} shows ${text}, expected ${flow.doneBefore + 1} visited`);
        const row = page.locator('[data-testid=visit-progress-grids] tr.ant-table-row').filter({ has: cell });
        note(`progress of grid ${flow.gridCode}: ${(await row.textContent())?.replace(/\s+/g, ' ')}`);
      },
    },
    {
      name: CYCLE,
      needs: [REGISTER],
      timeoutMs: 90_000,
      run: async (w, note) => {
        const page = need(flow.officer);
        await openTab(page, '发放批次');
        await prepare(page, flow.month);
        await cycleStatus(page, flow.month, 'draft');
        await cycleRow(page, flow.month).getByTestId('cycle-review').click();
        await cycleStatus(page, flow.month, 'reviewed');
        // The preparer cannot approve their own cycle.
        await cycleRow(page, flow.month).getByTestId('cycle-approve').click();
        await page.locator('.ant-message').getByText('双人审批').waitFor();
        await cycleStatus(page, flow.month, 'reviewed');

        const admin = await staff(w, 'admin');
        await openTab(admin, '发放批次');
        await cycleRow(admin, flow.month).getByTestId('cycle-approve').click();
        await cycleStatus(admin, flow.month, 'approved');
        flow.frozen = await cycleAsSeen(admin, flow.month);
        note(`高龄补贴 ${flow.month}: ${flow.frozen.persons} persons, ¥${flow.frozen.total}, approved by admin (frozen)`);
        await shot(admin, 'cycle');
      },
    },
    {
      name: FROZEN,
      needs: [VISIT, CYCLE],
      timeoutMs: 90_000,
      run: async (w, note) => {
        const page = need(flow.officer);
        // She applied: civil affairs registers the allowance from the 1st of this month.
        const csv = ['身份证号,待遇代码,起始日期,截止日期,金额（元）', `${flow.idNumber},${POLICY},${flow.month}-01,,200`].join('\n');
        await importCsv(page, '高龄补贴发放登记.csv', csv);

        await openTab(page, '发放批次');
        await cycleStatus(page, flow.month, 'approved');
        const now = await cycleAsSeen(page, flow.month);
        if (now.persons !== flow.frozen.persons || now.total !== flow.frozen.total || now.list !== flow.frozen.list) {
          throw new Error(`the frozen cycle changed: ${JSON.stringify(flow.frozen).slice(0, 300)} → ${JSON.stringify(now).slice(0, 300)}`);
        }
        // Recomputing the frozen month is refused.
        await prepare(page, flow.month);
        await page.locator('.ant-message').getByText('已审批冻结').waitFor();

        // Next month's cycle includes her, and the diff says why.
        const next = nextMonth(flow.month);
        await prepare(page, next);
        await cycleStatus(page, next, 'draft');
        await cycleRow(page, next).getByTestId('cycle-diff').click();
        const diff = page.getByTestId('cycle-diff-result');
        await diff.waitFor();
        const text = (await diff.textContent()) ?? '';
        const added = text.split('\n').find((l) => l.includes(MASKED)) ?? text;
        if (!text.includes(`新增 ${MASKED}`) || !text.includes('82 岁 ≥ 80')) throw new Error(`the diff does not name the applicant: ${text.slice(0, 600)}`);
        note(`frozen ${flow.month} unchanged (${now.persons} persons, ¥${now.total}); ${next}: ${text.slice(0, 60)}…`);
        note(`diff names her: ${added.slice(added.indexOf(`新增 ${MASKED}`), added.indexOf(`新增 ${MASKED}`) + 60)}`);
        await shot(page, 'diff');
      },
    },
    {
      name: EDIT_POLICY,
      needs: options.needs,
      timeoutMs: 60_000,
      run: async (w, note) => {
        const page = flow.officer ?? (await staff(w, 'civil-affairs'));
        await openTab(page, '政策');
        const version = Number(await page.getByTestId(`policy-version-${POLICY}`).textContent());
        await page.getByTestId(`policy-${POLICY}`).click();
        const editor = page.getByTestId('policy-form-editor');
        const preview = editor.getByTestId('policy-preview');
        const matching = async () => {
          const text = (await preview.textContent()) ?? '';
          const m = /今天符合 (\d+) 人/.exec(text);
          if (!m) throw new Error(`the live count is not shown: ${text}`);
          return Number(m[1]);
        };
        await preview.filter({ hasText: /今天符合 \d+ 人/ }).waitFor();
        const before = await matching();

        // Eligibility: age ≥ 70 → 75, in the clause builder; the 70–79 band (the last tier) pays 120 元.
        const age = editor.getByTestId('clause-value-eligibility.all[0]');
        if ((await age.inputValue()) !== '70') throw new Error(`the form shows the age threshold as ${await age.inputValue()}`);
        await age.fill('75');
        const lastTier = editor.locator('[data-testid^=tier-amount-]').last();
        if ((await lastTier.inputValue()) !== '100.00') throw new Error(`the 70–79 band shows ${await lastTier.inputValue()} 元`);
        await lastTier.fill('120');
        await lastTier.press('Tab');
        await preview.filter({ hasText: new RegExp(`今天符合 (?!${before} 人)\\d+ 人`) }).waitFor({ timeout: 20_000 });
        const after = await matching();
        if (!(after < before)) throw new Error(`raising the age threshold did not lower the count: ${before} → ${after}`);
        note(`高龄补贴 live count: age ≥ 70 → ${before}, age ≥ 75 → ${after}`);

        // The JSON beside the form says the same.
        await editor.locator('.ant-tabs-tab').filter({ hasText: /^JSON$/ }).click();
        const json = JSON.parse(await editor.getByTestId('policy-editor').inputValue()) as { eligibility: { all: { value: unknown }[] }; tiers: { monthlyFen: number }[] };
        if (json.eligibility.all[0]?.value !== 75 || json.tiers.at(-1)?.monthlyFen !== 12000) throw new Error(`the JSON tab is out of step: ${JSON.stringify(json).slice(0, 300)}`);
        await editor.locator('.ant-tabs-tab').filter({ hasText: /^表单$/ }).click();
        await lastTier.scrollIntoViewIfNeeded();
        await page.waitForTimeout(300); // the tab's ink bar slides back
        await shot(page, 'policy-editor');

        await editor.getByTestId('policy-save').click();
        await page.locator('.ant-message').getByText(`已保存为第 ${version + 1} 版`).waitFor();
        await page.getByTestId(`policy-version-${POLICY}`).filter({ hasText: String(version + 1) }).waitFor();
        // Reopened from the list, the saved version shows the new values.
        await page.getByTestId(`policy-${POLICY}`).click();
        await page.getByText(`编辑：高龄补贴（当前第 ${version + 1} 版）`).waitFor();
        const saved = { age: await editor.getByTestId('clause-value-eligibility.all[0]').inputValue(), band: await editor.locator('[data-testid^=tier-amount-]').last().inputValue() };
        if (saved.age !== '75' || saved.band !== '120.00') throw new Error(`the saved version reopens as ${JSON.stringify(saved)}`);
        note(`saved 高龄补贴 version ${version + 1}: age ≥ ${saved.age}, 70–79 band ${saved.band} 元`);
      },
    },
  ];
}

function need<T>(x: T | null | undefined): T {
  if (x === null || x === undefined) throw new Error('an earlier step did not set this up');
  return x;
}

export const benefitsSteps: BenefitsStep[] = makeBenefitsSteps({
  password: 'E2e-demo-pass-2026',
  screenshotsDir: path.join(ROOT, 'test-results'),
  mapShot: '/tmp/benefits-map.png',
  needs: ['server starts on a fresh data dir and answers /api/health', 'chromium launches'],
});
