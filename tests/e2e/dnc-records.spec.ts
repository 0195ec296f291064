import { expect, test } from '@playwright/test';
import type { ParleyClient } from '../../electron/contracts';
import { signedInClient } from '../support/accounts';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

/** Do-not-call removal with a reason and the number's history; an import that asks what to do with matching contacts. */

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let admin: ParleyClient;
const MANAGER = { username: 'mona', password: 'mona-manager-password' };

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-dnc-records-');
  serve = await startServeProcess(data.dir);
  admin = signedInClient(serve.url);
  await admin.call('users.add', { ...MANAGER, displayName: 'Mona Manager', role: 'manager' });
});

test.afterAll(async () => {
  admin?.close();
  await serve?.stop();
  data?.cleanup();
});

test('a manager removes a number with a reason; its history shows who added and removed it, and why', async ({ page }, testInfo) => {
  await admin.call('dnc.add', { phone: '+13125550177', reason: 'Asked on the phone' });
  await openConsole(page, serve.url, MANAGER);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('tab-dnc').click();

  const row = page.getByTestId('dnc-row').filter({ hasText: '+13125550177' });
  await row.getByTestId('dnc-history-toggle').click();
  await expect(page.getByTestId('dnc-history-entry')).toHaveCount(1);
  await expect(page.getByTestId('dnc-history-entry').first()).toContainText('Added');
  await expect(page.getByTestId('dnc-history-entry').first()).toContainText('test-admin');
  await expect(page.getByTestId('dnc-history-entry').first()).toContainText('Asked on the phone');

  await row.getByTestId('dnc-remove').click();
  await expect(row.getByTestId('dnc-remove-confirm')).toBeDisabled(); // no reason yet
  await row.getByTestId('dnc-remove-reason').fill('Customer wrote to ask for calls again');
  await row.getByTestId('dnc-remove-confirm').click();
  await expect(page.getByTestId('dnc-table')).not.toContainText('+13125550177');

  // Off the list, its history is still there.
  await page.getByTestId('dnc-lookup').fill('(312) 555-0177');
  await page.getByTestId('dnc-lookup-show').click();
  const entries = page.getByTestId('dnc-history-entry');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(1)).toContainText('Removed');
  await expect(entries.nth(1)).toContainText('Mona Manager');
  await expect(entries.nth(1)).toContainText('Customer wrote to ask for calls again');
  await page.screenshot({ path: testInfo.outputPath('dnc-history.png') });

  // A registry file of 10-digit numbers, one a line.
  await page.getByTestId('dnc-list-import').locator('summary').click();
  await page.getByTestId('dnc-list-file').setInputFiles({ name: 'dnc-212.txt', mimeType: 'text/plain', buffer: Buffer.from('2125550101\n2125550102\n2125550101\n12345\n') });
  await page.getByTestId('dnc-list-name').fill('US National DNC Registry, area code 212');
  await page.getByTestId('dnc-list-start').click();
  await expect(page.getByTestId('dnc-list-report')).toContainText('2 added, 1 already on the list, 1 invalid');
  await expect(page.getByTestId('dnc-table')).toContainText('+12125550102');
});

test('an import that matches existing contacts shows every case and asks what to do before anything is written', async ({ page }, testInfo) => {
  await admin.call('dnc.add', { phone: '+16465550100', reason: 'Asked by email' });
  await openConsole(page, serve.url, MANAGER);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'first.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phone\nDana Smith,212-555-0147\n') });
  await page.getByTestId('import-check-file').click();
  await expect(page.getByTestId('check-new')).toHaveText('1');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('report-imported')).toHaveText('1');
  await page.getByTestId('import-close').click();

  const second = ['name,phone', 'Dana Jones,(212) 555-0147', 'Ada New,312-555-0110', 'Ada Again,312.555.0110', 'Nobody,12', 'Dnc Person,646-555-0100'].join('\n');
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'second.csv', mimeType: 'text/csv', buffer: Buffer.from(second) });
  await page.getByTestId('import-check-file').click();
  await expect(page.getByTestId('check-new')).toHaveText('2');
  await expect(page.getByTestId('check-matched')).toHaveText('1');
  await expect(page.getByTestId('check-duplicates')).toHaveText('1');
  await expect(page.getByTestId('check-invalid')).toHaveText('1');
  await expect(page.getByTestId('check-dnc')).toHaveText('1');
  // Nothing is written before the choice, and the import waits for it.
  expect((await admin.call('contacts.list', { search: 'Ada' })).total).toBe(0);
  await expect(page.getByTestId('import-start')).toBeDisabled();
  await page.getByTestId('on-match-overwrite').check();
  await expect(page.getByTestId('report-renamed')).toContainText('Dana Smith');
  await page.screenshot({ path: testInfo.outputPath('import-check.png') });
  await page.getByTestId('on-match-fill-empty').check();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('report-imported')).toHaveText('2');
  await expect(page.getByTestId('report-unchanged')).toHaveText('1');
  await expect(page.getByTestId('report-renamed')).toHaveCount(0);
  await page.getByTestId('import-close').click();
  const dana = await admin.call('contacts.list', { search: '2125550147' });
  expect(dana.contacts[0]!.name).toBe('Dana Smith');

  // Overwrite, chosen, renames and says so with before and after.
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'third.csv', mimeType: 'text/csv', buffer: Buffer.from('name,phone\nDana Jones,212-555-0147\n') });
  await page.getByTestId('import-check-file').click();
  await page.getByTestId('on-match-overwrite').check();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('report-renamed')).toContainText('Dana Smith');
  await expect(page.getByTestId('report-renamed')).toContainText('Dana Jones');
  expect((await admin.call('contacts.list', { search: '2125550147' })).contacts[0]!.name).toBe('Dana Jones');
});

test('the campaign page and Analytics show the abandoned-call rate against the 3% limit', async ({ page }) => {
  await admin.call('campaigns.create', { name: 'Spring renewals' });
  await openConsole(page, serve.url, MANAGER);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Spring renewals' }).click();
  await expect(page.getByTestId('campaign-abandonment')).toContainText('Abandoned calls (30 days): 0.00% (0 of 0 answered; limit 3%), within the limit.');
  await nav.getByRole('button', { name: 'Analytics', exact: true }).click();
  await expect(page.getByTestId('abandonment-card')).toContainText('Abandoned calls, last 30 days');
  await expect(page.getByTestId('abandonment-card')).toContainText('No answered calls in the last 30 days.');
});
