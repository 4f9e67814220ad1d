/** Small helpers the browser flows share: sign a staff member in, run an act from the ticket page, pick a Select option. */
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';

/** What every flow reads of run.ts's world: the server's URL, the browser, the contexts to close, the errors to print. */
export interface FlowWorld {
  baseUrl: string;
  browser: Browser | null;
  contexts: BrowserContext[];
  /** browser console errors and page errors, printed when a step fails */
  browserErrors: string[];
}

/** A named step of a flow; run.ts runs the steps in order, each within its time limit. */
export interface FlowStep<W extends FlowWorld = FlowWorld> {
  name: string;
  /** names of earlier steps this one needs; if any failed, this one fails without running */
  needs?: string[];
  timeoutMs?: number;
  run: (w: W, note: (line: string) => void) => Promise<void>;
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<Page> {
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname !== '/login', { timeout: 30_000 });
  await page.getByTestId('current-user').waitFor();
  return page;
}

export async function waitForStatus(page: Page, expected: string): Promise<void> {
  await page.locator(`[data-testid=ticket-status][data-status=${expected}]`).waitFor({ timeout: 30_000 });
}

/** Open an act's modal, fill it, submit, and wait for the status it leads to. */
export async function submitAct(page: Page, name: string, fill: (modal: Locator) => Promise<void>, next: string): Promise<void> {
  await page.getByTestId(`act-${name}`).click();
  const modal = page.locator('.ant-modal').filter({ has: page.getByTestId('act-submit') });
  await modal.waitFor();
  await fill(modal);
  await modal.getByTestId('act-submit').click();
  await waitForStatus(page, next);
  await modal.waitFor({ state: 'hidden' });
}

/** Choose an antd Select option by its text. */
export async function pickOption(page: Page, select: Locator, text: string): Promise<void> {
  await select.click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: new RegExp(`^${text}$`) }).click();
}
