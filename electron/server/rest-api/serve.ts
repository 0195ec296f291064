import type { IncomingMessage, ServerResponse } from 'node:http';
import { IMPORT_CHUNK_BYTES, type Actor, type ErrorCode } from '../../contracts';
import type { Engine } from '../../engine';
import { openApiDocument } from './openapi';
import { ROUTES, type Route } from './routes';

export const API_BASE = '/api/v1';
const MAX_BODY = 1024 * 1024;

const STATUS: Partial<Record<ErrorCode, number>> = {
  bad_request: 400,
  invalid_payload: 400,
  unknown_command: 404,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export function isApiRequest(url: string | undefined): boolean {
  return url === API_BASE || (url ?? '').startsWith(`${API_BASE}/`);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

function error(res: ServerResponse, code: ErrorCode, message: string): void {
  send(res, STATUS[code] ?? 500, { error: { code, message } });
}

function match(route: Route, method: string, path: string): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  const want = route.path.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i]!;
    if (part.startsWith('{')) params[part.slice(1, -1)] = decodeURIComponent(got[i]!);
    else if (part !== got[i]) return undefined;
  }
  return params;
}

/** The body as text; null when it is over the limit (the rest is read and dropped, so the client gets the answer). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * REST API v1: a thin host over the engine's handler map. A route turns the HTTP request into one
 * contract command, which runs through the same dispatcher (roles, campaign scope, audit, validation)
 * as the console; the answer is the command's result, or its error as `{ error: { code, message } }`.
 * Only API tokens (`Authorization: Bearer pk_…`, made by an admin) are accepted here.
 */
export async function serveApi(req: IncomingMessage, res: ServerResponse, engine: Engine): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://parley.local');
  const secret = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const actor = secret ? engine.context.apiTokens.authenticate(secret, `api:${req.socket.remoteAddress ?? 'unknown'}`) : undefined;
  if (!actor) return error(res, 'unauthorized', 'Send an API token: Authorization: Bearer pk_… (an admin makes one with apiTokens.create or `parley` in the console)');
  const path = url.pathname.slice(API_BASE.length) || '/';
  if (req.method === 'GET' && path === '/openapi.json') return send(res, 200, openApiDocument());
  const method = req.method ?? 'GET';
  let route: Route | undefined;
  let params: Record<string, string> | undefined;
  for (const candidate of ROUTES) {
    params = match(candidate, method, path);
    if (params) {
      route = candidate;
      break;
    }
  }
  if (!route || !params) return error(res, 'not_found', `No ${method} ${API_BASE}${path}; see ${API_BASE}/openapi.json`);
  const raw = method === 'GET' ? '' : await readBody(req);
  if (raw === null) return error(res, 'too_large', `A request body is at most ${MAX_BODY} bytes`);
  let body: unknown;
  if (route.csvBody) body = raw;
  else if (raw.trim()) {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return error(res, 'bad_request', 'Send JSON (Content-Type: application/json)');
    try {
      body = JSON.parse(raw);
    } catch {
      return error(res, 'bad_request', 'The body is not valid JSON');
    }
  } else body = route.body ? {} : undefined;
  let payload: unknown;
  try {
    payload = route.request({ params, query: url.searchParams, body });
  } catch (problem) {
    return error(res, 'bad_request', (problem as Error).message);
  }
  const outcome = route.csvBody ? await importCsv(engine, actor, String(body ?? ''), payload as { onMatch?: string }) : await engine.invokeAs(actor, route.command, payload);
  if (!outcome.ok) return error(res, outcome.error.code, outcome.error.message);
  send(res, route.status ?? 200, outcome.result);
}

/** A CSV import through the same three commands the console's import uses. */
async function importCsv(engine: Engine, actor: Actor, csv: string, options: { onMatch?: string }) {
  const begun = await engine.invokeAs(actor, 'contacts.importBegin', { fileName: 'api.csv', options: { ...(options.onMatch ? { onMatch: options.onMatch } : {}) } });
  if (!begun.ok) return begun;
  const { importId } = begun.result as { importId: string };
  const bytes = Buffer.from(csv, 'utf8');
  for (let at = 0; at < bytes.length; at += IMPORT_CHUNK_BYTES) {
    const chunk = await engine.invokeAs(actor, 'contacts.importChunk', { importId, data: bytes.subarray(at, at + IMPORT_CHUNK_BYTES).toString('base64') });
    if (!chunk.ok) {
      await engine.invokeAs(actor, 'contacts.importCancel', { importId });
      return chunk;
    }
  }
  return engine.invokeAs(actor, 'contacts.importFinish', { importId });
}
