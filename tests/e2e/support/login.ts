import { expect, type Page } from '@playwright/test';
import { TEST_ACCOUNT } from '../../support/accounts';

/**
 * Opens the console at `url` and signs in (the test admin unless told otherwise); a tab that still
 * holds a session goes straight in. Every e2e spec opens the console through this.
 */
export async function openConsole(page: Page, url: string, account: { username: string; password: string } = TEST_ACCOUNT): Promise<void> {
  await page.goto(url);
  const form = page.getByTestId('login-username');
  const signedIn = page.getByTestId('account-name');
  await expect(form.or(signedIn)).toBeVisible({ timeout: 15_000 });
  if (await form.isVisible()) {
    await form.fill(account.username);
    await page.getByTestId('login-password').fill(account.password);
    await page.getByTestId('login-submit').click();
  }
  await expect(signedIn).toHaveText(account.username, { timeout: 15_000 });
}
