import { expect, test, type Page } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

async function openCampaigns(page: Page, url: string): Promise<void> {
  await openConsole(page, url);
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
}

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-recording-');
  serve = await startServeProcess(data.dir);
});

test.afterAll(async () => {
  await serve?.stop();
  data?.cleanup();
});

test('the campaign editor sets recording, always asking for consent and redaction, and keeps them', async ({ page }) => {
  await openCampaigns(page, serve.url);
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('campaign-name').fill('Payments follow-up');
  await page.getByTestId('campaign-question').first().fill('Shall we take the payment now?');
  // Recording is on by default (the disclosure says calls may be recorded); consent by state; no redaction.
  await expect(page.getByTestId('campaign-recording')).toBeChecked();
  await expect(page.getByTestId('campaign-recording-always-ask')).not.toBeChecked();
  await expect(page.getByTestId('campaign-redaction')).not.toBeChecked();
  await page.getByTestId('campaign-recording-always-ask').check();
  await page.getByTestId('campaign-redaction').check();
  // Without the disclosure the editor warns that nothing will be recorded.
  await page.getByTestId('campaign-disclosure').uncheck();
  await expect(page.getByTestId('recording-fields')).toContainText('Calls without the disclosure are never recorded');
  await page.getByTestId('campaign-disclosure').check();
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');

  await page.reload();
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Payments follow-up' }).click();
  await expect(page.getByTestId('campaign-recording')).toBeChecked();
  await expect(page.getByTestId('campaign-recording-always-ask')).toBeChecked();
  await expect(page.getByTestId('campaign-redaction')).toBeChecked();
  await page.getByTestId('campaign-recording').uncheck();
  await expect(page.getByTestId('campaign-recording-always-ask')).toBeDisabled();
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');
  await page.reload();
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Payments follow-up' }).click();
  await expect(page.getByTestId('campaign-recording')).not.toBeChecked();
});
