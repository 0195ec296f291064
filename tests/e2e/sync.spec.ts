import { expect, test } from '@playwright/test';
import type { ParleyClient } from '../../electron/contracts';
import { SyncReceiver } from '../../electron/server/bench/sync-receiver';
import { signedInClient } from '../support/accounts';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { verifyStandardWebhook } from '../support/standard-webhooks';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let admin: ParleyClient;
let secret = '';
let refuse = true;
const receiver = new SyncReceiver({}, (headers, body) => (refuse ? 'receiver says no' : verifyStandardWebhook(secret, headers, body)));

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-sync-');
  serve = await startServeProcess(data.dir);
  admin = signedInClient(serve.url);
});

test.afterAll(async () => {
  admin?.close();
  await serve?.stop();
  await receiver.stop();
  data?.cleanup();
});

test('adds a webhook; a refused delivery shows the receiver’s words and is dead-lettered; Retry all sends it once the receiver accepts', async ({ page }, testInfo) => {
  const url = await receiver.start();
  await openConsole(page, serve.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sync', exact: true }).click();
  await expect(page.getByTestId('sync-target').filter({ hasText: 'CRM (not connected)' })).toBeVisible();

  await page.getByTestId('webhook-url').fill(url);
  await page.getByLabel('contact.do_not_call').check();
  await page.getByTestId('webhook-add').click();
  const shown = page.getByTestId('webhook-secret').locator('code');
  await expect(shown).toHaveText(/^whsec_/);
  secret = (await shown.textContent())!;
  await expect(page.getByTestId('webhook-row')).toContainText(url);
  await page.getByTestId('webhook-test').click();
  await expect(page.getByTestId('webhook-test-result')).toContainText('receiver says no');

  await admin.call('dnc.add', { phone: '+13125550177', reason: 'Asked on the phone' });
  const hook = page.getByTestId('sync-target').filter({ hasText: url });
  await expect(hook.getByTestId('sync-counts')).toContainText('1 dead', { timeout: 10_000 });
  await page.getByTestId('sync-filter-dead').click();
  const row = page.getByTestId('sync-row').filter({ hasText: 'contact.do_not_call' });
  await expect(row).toContainText('HTTP 400: receiver says no');
  await row.click();
  await expect(page.getByTestId('sync-detail')).toContainText('+13125550177');
  await page.screenshot({ path: testInfo.outputPath('sync-dead.png') });

  refuse = false;
  await hook.getByTestId('sync-retry-all').click();
  await expect(hook.getByTestId('sync-counts')).toContainText('1 sent', { timeout: 10_000 });
  expect(receiver.accepted.size).toBe(1);
  expect([...receiver.accepted.values()][0]!.body).toMatchObject({ type: 'contact.do_not_call', data: { phone: '+13125550177' } });
});
