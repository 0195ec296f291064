import { expect, test } from '@playwright/test';
import type { ParleyClient } from '../../electron/contracts';
import { signedInClient } from '../support/accounts';
import { daytimeZone, LEGAL_ALL_WEEK } from '../support/legal-hours';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let client: ParleyClient;

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-');
  serve = await startServeProcess(data.dir);
  client = signedInClient(serve.url);
  const zone = daytimeZone();
  const csv = ['name,phone,timezone', `Ada Opted,+13125550101,${zone}`, `Ben Unsure,+13125550102,${zone}`, `Cy Blocked,+13125550103,${zone}`].join('\n');
  const { importId } = await client.call('contacts.importBegin', { fileName: 'people.csv', options: {} });
  await client.call('contacts.importChunk', { importId, data: Buffer.from(csv).toString('base64') });
  await client.call('contacts.importFinish', { importId });
  await client.call('dnc.add', { phone: '+13125550103', reason: 'asked last year' });
  const ada = (await client.call('contacts.list', { search: 'Ada' })).contacts[0]!;
  await client.call('contacts.setConsent', { contactId: ada.id, consent: { kind: 'prior-express-written', source: 'web form', obtainedOn: '2026-01-02' } });
  // A real line (its PBX is not reachable here: the summary names it; launched calls wait for it).
  const line = await client.call('lines.create', { kind: 'sip', name: 'Office trunk', callerIds: ['+13125550000'], settings: { server: '127.0.0.1', username: '201' } });
  await client.call('campaigns.create', { name: 'Spring offer', agentPrompt: 'You are Sam.', lineId: line.id, callingWindow: LEGAL_ALL_WEEK, purpose: 'marketing' });
});

test.afterAll(async () => {
  client?.close();
  await serve?.stop();
  data?.cleanup();
});

test('launch shows who is called and who is skipped, and needs one more click; consent is edited on the contact page', async ({ page }) => {
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Spring offer' }).click();
  await page.getByTestId('campaign-launch').click();
  const summary = page.getByTestId('launch-summary');
  await expect(summary).toBeVisible();
  await expect(page.getByTestId('launch-call-now')).toHaveText('1');
  await expect(page.getByTestId('launch-line')).toHaveText('Office trunk');
  await expect(page.getByTestId('launch-caller-id')).toHaveText('+13125550000');
  await expect(page.getByTestId('launch-skip-dnc')).toContainText('1');
  await expect(page.getByTestId('launch-skip-noConsent')).toContainText('1');
  await expect(summary).toContainText('prior express written consent');
  // Reading the summary launched nothing.
  await expect(page.getByTestId('campaign-status')).toHaveText('draft');
  await summary.getByRole('button', { name: 'Cancel' }).click();
  await expect(summary).toHaveCount(0);

  // Ben gives written consent: recorded on his page.
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('contact-row').filter({ hasText: 'Ben Unsure' }).click();
  const consent = page.getByTestId('contact-consent');
  await expect(consent.getByTestId('consent-kind')).toHaveText('None on record');
  await consent.getByTestId('consent-edit').click();
  await consent.getByTestId('consent-kind-input').selectOption('prior-express-written');
  await consent.getByTestId('consent-save').click();
  await expect(consent.getByTestId('consent-error')).toContainText('Say where the consent was given');
  await consent.getByTestId('consent-source').fill('signed paper form');
  await consent.getByTestId('consent-date').fill('2026-02-03');
  await consent.getByTestId('consent-evidence').fill('https://files.example.com/forms/ben.pdf');
  await consent.getByTestId('consent-save').click();
  await expect(consent.getByTestId('consent-kind')).toHaveText('Prior express written consent');
  await expect(consent).toContainText('signed paper form, 2026-02-03');

  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Spring offer' }).click();
  await page.getByTestId('campaign-launch').click();
  await expect(page.getByTestId('launch-call-now')).toHaveText('2');
  await expect(page.getByTestId('launch-skip-noConsent')).toContainText('0');
  // The confirm is the launch (the trunk's PBX is unreachable here, so its calls wait for the line).
  await page.getByTestId('campaign-launch-confirm').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('running');
  await expect(page.getByTestId('launch-summary')).toHaveCount(0);

  // Revoking asks for a reason and shows how it was revoked.
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('contact-row').filter({ hasText: 'Ben Unsure' }).click();
  await consent.getByTestId('consent-revoke').click();
  await expect(consent.getByTestId('consent-revoke-confirm')).toBeDisabled();
  await consent.getByTestId('consent-revoke-reason').fill('asked by email to stop');
  await consent.getByTestId('consent-revoke-confirm').click();
  await expect(consent.getByTestId('consent-revoked')).toContainText('Manual: asked by email to stop');
});

test('an import maps consent columns, and the contact page shows the consent it brought', async ({ page }) => {
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('open-import').click();
  const file = ['Name,Phone,Opt-in type,Where,Consent date', 'Eve Written,+13125550111,prior express written,newsletter form,2026-01-05'].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: 'optins.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await expect(page.getByTestId('map-consentDate')).toHaveValue('Consent date');
  // Headers the importer does not know are mapped by hand.
  await page.getByTestId('map-consentKind').selectOption('Opt-in type');
  await page.getByTestId('map-consentSource').selectOption('Where');
  await page.getByTestId('import-check-file').click();
  await expect(page.getByTestId('check-new')).toHaveText('1');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('report-imported')).toHaveText('1');
  await page.getByTestId('import-close').click();
  await page.getByTestId('contact-row').filter({ hasText: 'Eve Written' }).click();
  await expect(page.getByTestId('contact-consent').getByTestId('consent-kind')).toHaveText('Prior express written consent');
  await expect(page.getByTestId('contact-consent')).toContainText('newsletter form, 2026-01-05');
});

test('a window outside the legal hours is refused on save; an admin overrides it with a written reason', async ({ page }) => {
  await client.call('campaigns.create', { name: 'Night shift check-ins', agentPrompt: 'You are Sam.', callingWindow: LEGAL_ALL_WEEK, defaultTimezone: 'America/Chicago' });
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Night shift check-ins' }).click();
  await page.getByTestId('window-start').fill('07:00');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toContainText('outside the legal calling hours');
  await expect(page.getByTestId('editor-message')).toContainText('47 CFR 64.1200(c)(1)');
  await expect(page.getByTestId('hours-override-confirm')).toBeDisabled();
  const reason = 'Check-in calls to our own night-shift staff, who asked for 07:00';
  await page.getByTestId('hours-override-reason').fill(reason);
  await page.getByTestId('hours-override-confirm').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');
  const audit = await client.call('audit.list', { action: 'hours.override' });
  expect(audit.entries[0]?.detail).toMatchObject({ reason });
});
