import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import OpenAPIBackend, { type Context, type Document } from 'openapi-backend';
import { repoRoot } from './fixtures';

type Fault = { status: number; retryAfter?: string } | 'stall';
interface Record_ {
  id: string;
  properties: Record<string, string>;
  associations: unknown[];
}

/**
 * A local stand-in for HubSpot's CRM v3 API that checks every request against HubSpot's own
 * published OpenAPI documents (tests/fixtures/hubspot): an unknown route or an invalid body is a
 * violation the test asserts is absent. Keeps contacts, calls and notes in memory, checks the bearer
 * token, and can be told to answer the next requests with a fault.
 */
export async function startFakeHubSpot(token: string) {
  const violations: string[] = [];
  const stores = { contacts: new Map<string, Record_>(), calls: new Map<string, Record_>(), notes: new Map<string, Record_>() };
  const faults: Fault[] = [];
  let next = 1000;
  const backends = Object.fromEntries(
    await Promise.all(
      (['calls', 'contacts', 'notes'] as const).map(async (name) => {
        const definition = JSON.parse(readFileSync(join(repoRoot, `tests/fixtures/hubspot/${name}.json`), 'utf8')) as Document;
        const api = new OpenAPIBackend({ definition, validate: true, quick: true, strict: false });
        api.register({
          validationFail: (c: Context) => ({ status: 400, body: { message: `invalid request: ${JSON.stringify(c.validation.errors)}`, violation: true } }),
          notFound: () => ({ status: 404, body: { message: 'no such route', violation: true } }),
          notImplemented: (c: Context) => handle(name, c),
        });
        // The bearer token is checked before routing (below); every scheme the documents name accepts it.
        for (const scheme of ['private_apps', 'private_apps_legacy', 'oauth2', 'developer_hapikey']) api.registerSecurityHandler(scheme, () => true);
        await api.init();
        return [name, api] as const;
      }),
    ),
  ) as Record<'calls' | 'contacts' | 'notes', OpenAPIBackend>;

  function handle(object: 'calls' | 'contacts' | 'notes', c: Context): { status: number; body: unknown } {
    const store = stores[object];
    const operation = c.operation.operationId ?? '';
    const body = c.request.requestBody as { properties?: Record<string, string>; associations?: unknown[]; filterGroups?: Array<{ filters: Array<{ propertyName: string; operator: string; value?: string }> }> };
    if (operation.endsWith('_create')) {
      const record = { id: String(next++), properties: body.properties ?? {}, associations: body.associations ?? [] };
      store.set(record.id, record);
      return { status: 201, body: { id: record.id, properties: record.properties, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), archived: false } };
    }
    if (operation.endsWith('_doSearch')) {
      const filters = body.filterGroups?.[0]?.filters ?? [];
      const results = [...store.values()].filter((r) =>
        filters.every((f) => (f.operator === 'EQ' ? r.properties[f.propertyName] === f.value : f.operator === 'CONTAINS_TOKEN' ? (r.properties[f.propertyName] ?? '').split(/[^A-Za-z0-9]+/).includes(f.value ?? '') : false)),
      );
      return { status: 200, body: { total: results.length, results: results.slice(0, 1).map((r) => ({ id: r.id, properties: r.properties, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), archived: false })) } };
    }
    if (operation.endsWith('_getPage')) return { status: 200, body: { results: [...store.values()].slice(0, 1).map((r) => ({ id: r.id, properties: r.properties, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), archived: false })) } };
    violations.push(`unexpected operation ${operation}`);
    return { status: 501, body: { message: 'not in this fake' } };
  }

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      void (async () => {
        const fault = faults.shift();
        if (fault === 'stall') return;
        if (fault) return void res.writeHead(fault.status, { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) }).end(JSON.stringify({ status: 'error', message: `injected ${fault.status}` }));
        if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', message: 'Authentication credentials not found', category: 'INVALID_AUTHENTICATION' }));
        const url = new URL(req.url ?? '/', 'http://hubspot.local');
        const object = /^\/crm\/v3\/objects\/(calls|contacts|notes)/.exec(url.pathname)?.[1] as 'calls' | 'contacts' | 'notes' | undefined;
        if (!object) {
          violations.push(`unknown route ${req.method} ${url.pathname}`);
          return void res.writeHead(404).end();
        }
        const answer = (await backends[object].handleRequest({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: raw ? (JSON.parse(raw) as unknown) : undefined, headers: req.headers as Record<string, string> })) as { status: number; body: { violation?: boolean; message?: string } };
        if (answer.body?.violation) violations.push(`${req.method} ${url.pathname}: ${answer.body.message}`);
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    violations,
    stores,
    /** The next requests (one per entry) get these answers instead. */
    fail: (...next: Fault[]) => faults.push(...next),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
