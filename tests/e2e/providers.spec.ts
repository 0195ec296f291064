import { expect, test } from '@playwright/test';
import type { ParleyClient } from '../../electron/contracts';
import { signedInClient } from '../support/accounts';
import { startFakeOpenAi } from '../support/fake-openai';
import { daytimeZone, LEGAL_ALL_WEEK } from '../support/legal-hours';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

const KEY = 'sk-e2e-7c1d9a33b2';
let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let admin: ParleyClient;
let server: Awaited<ReturnType<typeof startFakeOpenAi>>;

test.beforeAll(async () => {
  server = await startFakeOpenAi({ key: KEY, models: ['llama3.2:3b', 'qwen2.5:7b'], reply: 'Hello, this is Ava from Northside Auto. Is now a good time?' });
  data = tempDataDir('parley-e2e-providers-');
  serve = await startServeProcess(data.dir);
  admin = signedInClient(serve.url);
});

test.afterAll(async () => {
  admin?.close();
  await serve?.stop();
  await server?.close();
  data?.cleanup();
});

test('adds an OpenAI-compatible server, lists its models, tests it, chooses it, and a dry-run call talks through it', async ({ page }, testInfo) => {
  await openConsole(page, serve.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Providers', exact: true }).click();
  await expect(page.getByTestId('provider-role-llm').getByTestId('provider-in-use')).toContainText('the local model');

  await page.getByTestId('new-provider').click();
  await page.getByTestId('provider-name').fill('Office Ollama');
  await page.getByTestId('provider-base-url').fill(server.baseUrl);
  await page.getByTestId('provider-key').fill(KEY);
  await page.getByTestId('provider-load-models').click();
  await expect(page.getByTestId('provider-models')).toContainText('llama3.2:3b, qwen2.5:7b');
  await page.getByTestId('provider-model').fill('llama3.2:3b');
  await page.getByTestId('provider-price-input').fill('0.5');
  await page.getByTestId('save-provider').click();

  const row = page.getByTestId('provider-row').filter({ hasText: 'Office Ollama' });
  await expect(row).toContainText('key saved');
  await row.getByTestId('provider-test').click();
  await expect(row.getByTestId('provider-test-result')).toContainText('OK: Office Ollama answered in');
  await row.getByTestId('provider-use').click();
  await expect(page.getByTestId('provider-role-llm').getByTestId('provider-in-use')).toContainText('Office Ollama');
  await expect(row).toContainText('In use');
  await row.getByTestId('provider-edit').click();
  await expect(page.getByTestId('provider-key')).toHaveValue('');
  await page.screenshot({ path: testInfo.outputPath('providers.png') });

  // A dry-run campaign on the simulated line: its call's agent talks through the chosen server.
  const csv = ['name,phone,timezone', `Dana Smith,+13125550101,${daytimeZone()}`].join('\n');
  const { importId } = await admin.call('contacts.importBegin', { fileName: 'one.csv', options: {} });
  await admin.call('contacts.importChunk', { importId, data: Buffer.from(csv).toString('base64') });
  await admin.call('contacts.importFinish', { importId });
  const [contact] = (await admin.call('contacts.list', { limit: 10 })).contacts;
  await admin.call('contacts.setConsent', { contactId: contact!.id, consent: { kind: 'prior-express-written', source: 'web form' } });
  const line = await admin.call('lines.create', { kind: 'simulated', name: 'Rehearsal', maxCalls: 1 });
  const campaign = await admin.call('campaigns.create', { name: 'Winter service', companyName: 'Northside Auto', lineId: line.id, callingWindow: LEGAL_ALL_WEEK, maxAttempts: 1 });
  const before = server.requests.length;
  await admin.call('campaigns.launch', { id: campaign.id });
  await expect.poll(() => server.requests.slice(before).filter((r) => r.path === '/v1/chat/completions').length, { timeout: 30_000 }).toBeGreaterThan(0);
  const chat = server.requests.slice(before).find((r) => r.path === '/v1/chat/completions')!;
  expect(JSON.stringify(chat.body)).toContain('Northside Auto');
  expect(chat.headers.authorization).toBe(`Bearer ${KEY}`);
});
