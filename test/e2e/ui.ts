/** Small helpers the browser flows share: sign a staff member in, run an act from the ticket page. */
import type { Locator, Page } from 'playwright-core';

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
