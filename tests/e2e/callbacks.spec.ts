import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import type { ParleyClient } from '../../electron/contracts';
import { signedInClient } from '../support/accounts';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

/**
 * The Callbacks screen in Chromium against `parley serve`: a callback in the queue is listed with its
 * time in the contact's zone and who asked, can be rescheduled (the new time is what the engine keeps)
 * and cancelled. Campaigns in `parley serve` tests run on simulated lines, which book nothing (dry
 * runs), so the callback is put in the queue's table the way a real call would have left it.
 */

test.use({ viewport: { width: 1400, height: 900 }, launchOptions: { executablePath: process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS] } });

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let client: ParleyClient;

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-callbacks-');
  serve = await startServeProcess(data.dir);
  client = signedInClient(serve.url);
  const csv = ['name,phone,timezone', 'Robin Diaz,+12125550123,America/New_York'].join('\n');
  const { importId } = await client.call('contacts.importBegin', { fileName: 'callbacks.csv', options: {} });
  await client.call('contacts.importChunk', { importId, data: Buffer.from(csv).toString('base64') });
  await client.call('contacts.importFinish', { importId });
  const db = new BetterSqlite3(join(data.dir, 'parley.db'));
  try {
    const contact = db.prepare('select id from contacts').get() as { id: string };
    const now = Date.now();
    db.prepare(
      `insert into callbacks (id, contact_id, campaign_id, origin_call_id, due_at, zone, asked_words, source, requested_by, note, assignee_user_id, state, result_call_id, reminded_at, created_at, updated_at)
       values ('cb-e2e', ?, null, null, ?, 'America/New_York', 'tomorrow at ten', 'caller', 'Caller, through the agent', null, null, 'scheduled', null, null, ?, ?)`,
    ).run(contact.id, now + 86_400_000, now, now);
  } finally {
    db.close();
  }
});

test.afterAll(async () => {
  client?.close();
  await serve?.stop();
  data?.cleanup();
});

test('lists a callback, reschedules it and cancels it', async ({ page }) => {
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Callbacks', exact: true }).click();
  const row = page.getByTestId('callback-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('callback-contact')).toHaveText('Robin Diaz');
  await expect(row).toContainText('“tomorrow at ten”');
  await expect(row).toContainText('America/New_York');
  await expect(page.getByTestId('callbacks-upcoming')).toBeVisible();

  // Reschedule to three days ahead, 11:30 on this browser's clock.
  const target = new Date(Date.now() + 3 * 86_400_000);
  target.setHours(11, 30, 0, 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  await row.getByTestId('callback-reschedule').click();
  await row.getByTestId('callback-new-time').fill(`${target.getFullYear()}-${pad(target.getMonth() + 1)}-${pad(target.getDate())}T11:30`);
  await row.getByTestId('callback-save-time').click();
  await expect.poll(async () => (await client.call('callbacks.list', { scope: 'all' }))[0]?.dueAt).toBe(target.toISOString());

  await row.getByTestId('callback-cancel').click();
  await expect(page.getByTestId('callback-row')).toHaveCount(0);
  expect((await client.call('callbacks.list', { scope: 'all', include: 'all' }))[0]?.state).toBe('cancelled');
});
