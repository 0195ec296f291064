import { expect, test, type Page } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

/** Opens the console and goes to the Campaigns screen (the live console is the start screen). */
async function openCampaigns(page: Page, url: string): Promise<void> {
  await openConsole(page, url);
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
}

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-');
  serve = await startServeProcess(data.dir);
});

test.afterAll(async () => {
  await serve?.stop();
  data?.cleanup();
});

test('creates a campaign in the console, and it survives a reload and a server restart', async ({ page }, testInfo) => {
  await openCampaigns(page, serve.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');

  await page.getByTestId('new-campaign').click();
  await page.getByTestId('campaign-name').fill('Winter tyre check');
  await page.getByTestId('campaign-prompt').fill('You are Jo from Northside Auto. Offer a free winter tyre check.');
  await page.getByTestId('campaign-question').first().fill('Would you like a free tyre check?');
  await page.getByTestId('add-question').click();
  await page.getByTestId('campaign-question').nth(1).fill('Which day suits you?');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');
  await expect(page.getByTestId('campaign-row')).toHaveCount(1);
  await page.screenshot({ path: testInfo.outputPath('campaigns.png') });

  await page.reload();
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await expect(page.getByTestId('campaign-row')).toContainText('Winter tyre check');

  // Restart parley serve on the same data folder: the campaign is still there.
  await serve.stop();
  serve = await startServeProcess(data.dir);
  await openCampaigns(page, serve.url);
  await page.getByTestId('campaign-row').filter({ hasText: 'Winter tyre check' }).click();
  await expect(page.getByTestId('campaign-name')).toHaveValue('Winter tyre check');
  await expect(page.getByTestId('campaign-question')).toHaveCount(2);
  await expect(page.getByTestId('campaign-question').nth(1)).toHaveValue('Which day suits you?');
});

test('edits and deletes a campaign, and shows validation messages', async ({ page }) => {
  await openCampaigns(page, serve.url);
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('save-campaign').click();
  await expect(page.getByText('Name is required')).toBeVisible();

  await page.getByTestId('campaign-name').fill('Temporary');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');
  await page.getByTestId('campaign-name').fill('Temporary (renamed)');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('campaign-row').filter({ hasText: 'Temporary (renamed)' })).toHaveCount(1);

  await page.getByTestId('delete-campaign').click();
  await page.getByTestId('confirm-delete').click();
  await expect(page.getByTestId('campaign-row').filter({ hasText: 'Temporary' })).toHaveCount(0);
  await page.reload();
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await expect(page.getByTestId('campaign-row').filter({ hasText: 'Temporary' })).toHaveCount(0);
});

test('a second console sees changes made in the first, live', async ({ browser }) => {
  const first = await browser.newPage();
  const second = await browser.newPage();
  await openCampaigns(first, serve.url);
  await openCampaigns(second, serve.url);
  await expect(second.getByTestId('connection-status')).toHaveText('Engine connected');
  await first.getByTestId('new-campaign').click();
  await first.getByTestId('campaign-name').fill('Shared live');
  await first.getByTestId('save-campaign').click();
  await expect(second.getByTestId('campaign-row').filter({ hasText: 'Shared live' })).toHaveCount(1);
  await first.close();
  await second.close();
});
