import { expect, test } from '@playwright/test';
import type { ParleyClient } from '../../electron/contracts';
import { signedInClient } from '../support/accounts';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

/** Accounts in the console: sign in, see only what the role allows, sign out; a one-time sign-in link. */

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let admin: ParleyClient;
const VIEWER = { username: 'vera', password: 'vera-viewer-password' };

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-access-');
  serve = await startServeProcess(data.dir);
  admin = signedInClient(serve.url);
  await admin.call('users.add', { username: VIEWER.username, displayName: 'Vera Viewer', password: VIEWER.password, role: 'viewer' });
  await admin.call('campaigns.create', { name: 'Visible to viewers' });
});

test.afterAll(async () => {
  admin?.close();
  await serve?.stop();
  data?.cleanup();
});

test('the console asks for a sign-in, refuses a wrong password, and a viewer sees only read-only screens', async ({ page }) => {
  await page.goto(serve.url);
  await expect(page.getByTestId('login-username')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toHaveCount(0);
  await page.getByTestId('login-username').fill(VIEWER.username);
  await page.getByTestId('login-password').fill('not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toHaveText('Wrong username or password');

  await openConsole(page, serve.url, VIEWER);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('button', { name: 'Campaigns', exact: true })).toBeVisible();
  for (const hidden of ['Live console', 'Models', 'Users', 'Audit']) await expect(nav.getByRole('button', { name: hidden, exact: true })).toHaveCount(0);
  await expect(page.getByTestId('campaign-row').filter({ hasText: 'Visible to viewers' })).toBeVisible();
  // The engine refuses what the screen does not offer: a viewer cannot create a campaign.
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('campaign-name').fill('Not allowed');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByText(/needs the manager role/)).toBeVisible();

  // A viewer changes their own password (the current one is asked), then signs in with it.
  await page.getByTestId('change-password').click();
  await page.getByTestId('current-password').fill(VIEWER.password);
  await page.getByTestId('new-password').fill('vera-second-password');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  VIEWER.password = 'vera-second-password';
  await openConsole(page, serve.url, VIEWER);

  // A reload keeps the session; signing out ends it (the token no longer works).
  await page.reload();
  await expect(page.getByTestId('account-name')).toHaveText(VIEWER.username);
  const token = await page.evaluate(() => sessionStorage.getItem('parley.session'));
  await Promise.all([page.waitForEvent('load'), page.getByTestId('sign-out').click()]); // signing out reloads the page: nothing of the session stays in memory
  await expect(page.getByTestId('login-username')).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.getItem('parley.session'))).toBeNull();
  const replay = await page.evaluate(
    async ({ url, token }) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(url);
        socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', id: 1, credentials: { token } }));
        socket.onmessage = (m) => resolve(JSON.parse(String(m.data)).error?.code ?? 'ok');
      }),
    { url: `${serve.url.replace('http', 'ws')}/rpc`, token },
  );
  expect(replay).toBe('unauthorized');
});

test('an admin sees every screen, and the audit log shows the sign-ins', async ({ page }) => {
  await openConsole(page, serve.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const shown of ['Live console', 'Campaigns', 'Models', 'Users', 'Audit']) await expect(nav.getByRole('button', { name: shown, exact: true })).toBeVisible();
  await nav.getByRole('button', { name: 'Users', exact: true }).click();
  await expect(page.getByTestId('user-row').filter({ hasText: VIEWER.username })).toBeVisible();
  await nav.getByRole('button', { name: 'Audit', exact: true }).click();
  await expect(page.getByTestId('audit-row').filter({ hasText: 'sign-in' }).filter({ hasText: 'test-admin' }).first()).toBeVisible();
  await expect(page.getByTestId('audit-row').filter({ hasText: 'user.add' }).filter({ hasText: `user:${VIEWER.username}` })).toBeVisible();
});

test('a manager removes a do-not-call number only with a reason and a confirmation, and the audit log has both', async ({ page }) => {
  const manager = { username: 'max', password: 'max-manager-password' };
  await admin.call('users.add', { ...manager, role: 'manager' });
  await admin.call('dnc.add', { phone: '+14155550123', reason: 'Asked on the phone' });
  await openConsole(page, serve.url, manager);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('tab-dnc').click();
  const row = page.getByTestId('dnc-table').locator('tr').filter({ hasText: '+14155550123' });
  await row.getByTestId('dnc-remove').click();
  await expect(row.getByTestId('dnc-remove-confirm')).toBeDisabled(); // no reason yet
  await row.getByTestId('dnc-remove-reason').fill('Customer called in and asked to hear from us again');
  await row.getByTestId('dnc-remove-confirm').click();
  await expect(page.getByTestId('dnc-table')).not.toContainText('+14155550123');
  const audit = await admin.call('audit.list', { action: 'dnc.remove', limit: 10 });
  expect(audit.entries[0]).toMatchObject({ actor: 'max', target: 'phone:+14155550123', detail: { reason: 'Customer called in and asked to hear from us again' } });
});

test('the first start of parley serve prints a one-time sign-in link that signs the local admin in once', async ({ page, browser }) => {
  const fresh = tempDataDir('parley-e2e-first-run-');
  const first = await startServeProcess(fresh.dir, [], { testAccount: false });
  try {
    const linkOf = () => /Sign in as admin[^:]*: (http:\/\/\S+)/.exec(first.output())?.[1];
    await expect.poll(linkOf, { timeout: 10_000 }).toBeDefined();
    const link = linkOf();
    await page.goto(link!);
    await expect(page.getByTestId('account-name')).toHaveText('admin');
    expect(page.url()).not.toContain('signin='); // taken out of the address bar
    const second = await browser.newPage();
    await second.goto(link!);
    await expect(second.getByTestId('login-username')).toBeVisible();
    await expect(second.getByTestId('login-error')).toContainText('expired or was already used');
    await second.close();
  } finally {
    await first.stop();
    fresh.cleanup();
  }
});
