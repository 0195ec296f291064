import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileErrors, validate } from '@readme/openapi-parser';
import OpenAPIBackend, { type Document } from 'openapi-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine';
import type { RunningServer } from '../../../electron/server/http-server';
import { startTestServer } from '../../support/test-server';
import { insertAttempt, type AnalyticsHarness } from '../analytics/harness';

let engine: Engine;
let dir: string;
let close: () => Promise<void>;
let server: RunningServer;
let manager: string;
let viewer: string;
let admin: string;

async function invoke<T>(command: string, payload: unknown): Promise<T> {
  const outcome = await engine.invoke(command, payload);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.result as T;
}

function api(method: string, path: string, options: { token?: string; body?: unknown; csv?: string; query?: Record<string, string> } = {}) {
  const url = new URL(`${server.url}/api/v1${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.csv !== undefined) headers['content-type'] = 'text/csv';
  return fetch(url, { method, headers, body: options.csv ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) });
}

beforeAll(async () => {
  ({ engine, server, dir, close } = await startTestServer());
  manager = (await invoke<{ secret: string }>('apiTokens.create', { name: 'Office CRM bridge', role: 'manager' })).secret;
  admin = (await invoke<{ secret: string }>('apiTokens.create', { name: 'Integrations', role: 'admin' })).secret;
  viewer = (await invoke<{ secret: string }>('apiTokens.create', { name: 'Read only', role: 'viewer' })).secret;
});
afterAll(() => close?.());

describe('REST API v1', () => {
  it('answers only API tokens; a revoked one is refused; secrets are kept only as hashes', async () => {
    expect((await api('GET', '/campaigns')).status).toBe(401);
    expect(await (await api('GET', '/campaigns')).json()).toEqual({ error: { code: 'unauthorized', message: expect.stringContaining('API token') } });
    expect((await api('GET', '/openapi.json')).status).toBe(401);
    expect((await api('GET', '/campaigns', { token: manager })).status).toBe(200);
    const spare = await invoke<{ token: { id: string }; secret: string }>('apiTokens.create', { name: 'Spare', role: 'viewer' });
    expect((await api('GET', '/campaigns', { token: spare.secret })).status).toBe(200);
    await invoke('apiTokens.revoke', { id: spare.token.id });
    expect((await api('GET', '/campaigns', { token: spare.secret })).status).toBe(401);
    const listed = await invoke<Array<{ name: string; lastUsedAt: number | null; revokedAt: number | null }>>('apiTokens.list', {});
    expect(listed.find((t) => t.name === 'Spare')).toMatchObject({ revokedAt: expect.any(Number), lastUsedAt: expect.any(Number) });
    const bytes = readFileSync(join(dir, 'parley.db'));
    const wal = (() => {
      try {
        return readFileSync(join(dir, 'parley.db-wal'));
      } catch {
        return Buffer.alloc(0);
      }
    })();
    for (const secret of [manager, viewer, spare.secret]) expect(bytes.includes(secret) || wal.includes(secret)).toBe(false);
  });

  it('errors are JSON with the contract’s codes: 400 invalid, 403 below the role, 404 unknown, 413 too large', async () => {
    const invalid = await api('POST', '/campaigns', { token: manager, body: {} });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { code: string } }).error.code).toBe('invalid_payload');
    const forbidden = await api('POST', '/campaigns', { token: viewer, body: { name: 'Nope' } });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await api('GET', '/no-such-thing', { token: manager })).status).toBe(404);
    expect((await api('GET', '/campaigns/no-such-campaign', { token: manager })).status).toBe(404);
    expect((await api('POST', '/dnc', { token: manager, csv: 'x'.repeat(1_100_000) })).status).toBe(413);
  });

  it('its OpenAPI 3.1 document is valid, and every example in it runs and answers what the document says', async () => {
    const document = (await (await api('GET', '/openapi.json', { token: manager })).json()) as Document & { paths: Record<string, Record<string, { operationId: string; requestBody?: { content: Record<string, { example?: unknown }> }; parameters?: Array<{ in: string; name: string; example?: string }>; responses: Record<string, unknown> }>> };
    expect(document.openapi).toBe('3.1.0');
    // A validator that knows OpenAPI 3.1 checks the document (and rejects a broken copy of it)...
    const verdict = await validate(structuredClone(document) as never);
    expect(verdict.valid ? [] : compileErrors(verdict)).toEqual([]);
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, Record<string, unknown>>> };
    broken.paths['/campaigns']!.get!.parameters = [{ name: 'x', in: 'nowhere' }];
    expect((await validate(broken as never)).valid).toBe(false);
    // ...and openapi-backend checks each answer against the document's response schemas.
    const validator = new OpenAPIBackend({ definition: document, strict: false, quick: true, validate: true });
    await validator.init();
    expect(validator.validateResponse({ id: 42 }, 'campaigns_get', 200).errors?.length).toBeGreaterThan(0);

    // What the examples need around them: a simulated line for launches and a call on record.
    const line = await invoke<{ id: string }>('lines.create', { kind: 'simulated', name: 'Rehearsal' });
    const order = ['POST /campaigns', 'GET /campaigns', 'GET /campaigns/{id}', 'PATCH /campaigns/{id}', 'POST /contacts/import', 'GET /contacts', 'GET /contacts/{id}', 'PATCH /contacts/{id}', 'POST /campaigns/{id}/launch', 'POST /campaigns/{id}/pause', 'POST /campaigns/{id}/resume', 'POST /campaigns/{id}/stop', 'POST /dnc', 'GET /dnc', 'GET /calls', 'GET /calls/{id}', 'GET /calls/{id}/transcript', 'GET /callbacks', 'POST /webhooks', 'GET /webhooks', 'PATCH /webhooks/{id}', 'DELETE /webhooks/{id}', 'DELETE /campaigns/{id}'];
    const all = Object.entries(document.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect([...all].sort()).toEqual([...order].sort());
    const ids: Record<string, string> = {};
    for (const key of order) {
      const [method, path] = key.split(' ') as [string, string];
      const op = document.paths[path]![method.toLowerCase()]!;
      const content = op.requestBody?.content ?? {};
      const example = content['application/json']?.example ?? content['text/csv']?.example;
      if (op.requestBody) expect(example, `${key} has an example body`).toBeDefined();
      const query = Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'query' && p.example !== undefined).map((p) => [p.name, p.example!]));
      if (key === 'POST /campaigns/{id}/launch') await invoke('campaigns.update', { id: ids.campaign, patch: { lineId: line.id } });
      if (key === 'GET /calls/{id}') {
        const h = { sqlite: engine.context.store.sqlite } as unknown as AnalyticsHarness;
        insertAttempt(h, { id: 'call-rest', campaignId: ids.campaign!, contactId: ids.contact!, attempt: 1, variant: null, outcome: 'completed', createdAt: Date.now() - 60_000, lines: [['agent', 'Hello Robin'], ['caller', 'Hi']] });
        ids.call = 'call-rest';
      }
      const concrete = path.replace('{id}', path.startsWith('/campaigns') ? ids.campaign! : path.startsWith('/contacts') ? ids.contact! : path.startsWith('/webhooks') ? ids.webhook! : ids.call!);
      // Webhooks are an admin's business; everything else a manager's token does.
      const response = await api(method, concrete, { token: path.startsWith('/webhooks') ? admin : manager, query, ...(content['text/csv'] ? { csv: String(example) } : example !== undefined ? { body: example } : {}) });
      const body = (await response.json()) as Record<string, unknown> & { id?: string; contacts?: Array<{ id: string }> };
      expect(response.status, `${key}: ${JSON.stringify(body)}`).toBeLessThan(300);
      const check = validator.validateResponse(body, op.operationId, response.status);
      expect(check.errors ?? [], `${key} answers what the document says`).toEqual([]);
      if (key === 'POST /campaigns') ids.campaign = body.id!;
      if (key === 'GET /contacts') ids.contact = body.contacts![0]!.id;
      if (key === 'POST /webhooks') {
        ids.webhook = (body.webhook as { id: string }).id;
        expect(body.secret).toMatch(/^whsec_/);
      }
    }
    expect((await invoke<{ custom: Record<string, unknown> }>('contacts.get', { id: ids.contact })).custom).toMatchObject({ vehicle: '2019 Civic' });
    expect(await invoke('webhooks.list', {})).toEqual([]);
    expect((await api('GET', '/webhooks', { token: manager })).status).toBe(403);
  });
});
