import { z } from 'zod';
import { commands, type CommandName } from '../../contracts';

/** What a route gets from the HTTP request. */
export interface RouteInput {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

/** One REST operation: an HTTP method and path over one contract command (or, for imports, three in a row). */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Below `/api/v1`, with `{name}` path parameters. */
  path: string;
  command: CommandName;
  summary: string;
  tag: string;
  /** The HTTP body's schema (JSON), when the operation takes one. */
  body?: z.ZodType;
  /** `text/csv` instead of JSON (contact imports). */
  csvBody?: boolean;
  query?: Record<string, { schema: z.ZodType; description: string }>;
  status?: 200 | 201;
  request(input: RouteInput): unknown;
  /** One request the document shows and the tests run (path parameters are filled in by the test). */
  example: { query?: Record<string, string>; body?: unknown };
}

const num = (query: URLSearchParams, name: string) => (query.has(name) ? Number(query.get(name)) : undefined);
const str = (query: URLSearchParams, name: string) => query.get(name) ?? undefined;
const shape = <K extends CommandName>(name: K) => commands[name].request as unknown as z.ZodObject<z.ZodRawShape>;
const Reason = z.object({ reason: z.string().max(200).optional() }).strict();

/** The whole REST API v1: every operation is a contract command, run by the same dispatcher as the console's. */
export const ROUTES: Route[] = [
  { method: 'GET', path: '/campaigns', command: 'campaigns.list', tag: 'campaigns', summary: 'List campaigns', request: () => ({}), example: {} },
  {
    method: 'POST',
    path: '/campaigns',
    command: 'campaigns.create',
    tag: 'campaigns',
    summary: 'Create a campaign (a draft)',
    status: 201,
    body: commands['campaigns.create'].request,
    request: ({ body }) => body,
    example: { body: { name: 'Spring service', companyName: 'Northside Auto', questions: ['Would you like to book your spring service?'] } },
  },
  { method: 'GET', path: '/campaigns/{id}', command: 'campaigns.get', tag: 'campaigns', summary: 'One campaign', request: ({ params }) => ({ id: params.id }), example: {} },
  { method: 'DELETE', path: '/campaigns/{id}', command: 'campaigns.delete', tag: 'campaigns', summary: 'Delete a campaign that is not running (its calls stay on record)', request: ({ params }) => ({ id: params.id }), example: {} },
  {
    method: 'PATCH',
    path: '/campaigns/{id}',
    command: 'campaigns.update',
    tag: 'campaigns',
    summary: 'Change a campaign’s settings',
    body: shape('campaigns.update').shape.patch as z.ZodType,
    request: ({ params, body }) => ({ id: params.id, patch: body }),
    example: { body: { maxConcurrentCalls: 2 } },
  },
  {
    method: 'POST',
    path: '/campaigns/{id}/launch',
    command: 'campaigns.launch',
    tag: 'campaigns',
    summary: 'Launch a campaign now, or schedule it (`startAt`)',
    body: z.object({ startAt: z.iso.datetime({ offset: true }).optional() }).strict(),
    request: ({ params, body }) => ({ id: params.id, ...(body as object) }),
    example: { body: {} },
  },
  ...(['pause', 'resume', 'stop'] as const).map(
    (action): Route => ({
      method: 'POST',
      path: `/campaigns/{id}/${action}`,
      command: `campaigns.${action}`,
      tag: 'campaigns',
      summary: `${action[0]!.toUpperCase()}${action.slice(1)} a campaign`,
      body: Reason,
      request: ({ params, body }) => ({ id: params.id, ...(body as object) }),
      example: { body: { reason: `${action} from the office system` } },
    }),
  ),
  {
    method: 'GET',
    path: '/contacts',
    command: 'contacts.list',
    tag: 'contacts',
    summary: 'List contacts (paged: `offset` and `limit`)',
    query: { search: { schema: z.string(), description: 'Name, number or email contains' }, offset: { schema: z.number().int().min(0), description: 'Rows to skip' }, limit: { schema: z.number().int().min(1).max(500), description: 'Rows per page' } },
    request: ({ query }) => ({ search: str(query, 'search'), offset: num(query, 'offset'), limit: num(query, 'limit') }),
    example: { query: { limit: '10' } },
  },
  { method: 'GET', path: '/contacts/{id}', command: 'contacts.get', tag: 'contacts', summary: 'One contact', request: ({ params }) => ({ id: params.id }), example: {} },
  {
    method: 'PATCH',
    path: '/contacts/{id}',
    command: 'contacts.update',
    tag: 'contacts',
    summary: 'Change a contact; `custom` fields are what the agent’s brief and opening line can use',
    body: shape('contacts.update').shape.patch as z.ZodType,
    request: ({ params, body }) => ({ id: params.id, patch: body }),
    example: { body: { custom: { vehicle: '2019 Civic', lastService: 'March' } } },
  },
  {
    method: 'POST',
    path: '/contacts/import',
    command: 'contacts.importFinish',
    tag: 'contacts',
    summary: 'Import contacts from CSV (header row; `name`, `phone`, `email`, `timezone`, other columns as custom fields); existing contacts are matched by number',
    csvBody: true,
    query: { onMatch: { schema: z.enum(['skip', 'fill-empty', 'overwrite']), description: 'What to do with a contact already on file' } },
    request: ({ query }) => ({ onMatch: str(query, 'onMatch') }),
    example: { query: { onMatch: 'fill-empty' }, body: 'name,phone,timezone,vehicle\nRobin Diaz,+12125550123,America/New_York,2020 Corolla\n' },
  },
  { method: 'GET', path: '/dnc', command: 'dnc.list', tag: 'do-not-call', summary: 'Check or list the do-not-call list (`search`: a number)', query: { search: { schema: z.string(), description: 'Number contains' }, offset: { schema: z.number().int().min(0), description: 'Rows to skip' }, limit: { schema: z.number().int().min(1).max(500), description: 'Rows per page' } }, request: ({ query }) => ({ search: str(query, 'search'), offset: num(query, 'offset'), limit: num(query, 'limit') }), example: { query: { search: '2125550199' } } },
  { method: 'POST', path: '/dnc', command: 'dnc.add', tag: 'do-not-call', summary: 'Add a number to the do-not-call list', status: 201, body: commands['dnc.add'].request, request: ({ body }) => body, example: { body: { phone: '+12125550199', reason: 'Asked by email' } } },
  {
    method: 'GET',
    path: '/calls',
    command: 'calls.list',
    tag: 'calls',
    summary: 'List calls, newest first (paged: pass the previous page’s `next` as `after`)',
    query: { limit: { schema: z.number().int().min(1).max(500), description: 'Rows per page' }, after: { schema: z.string(), description: 'The previous page’s `next`, as JSON' } },
    request: ({ query }) => ({ limit: num(query, 'limit'), ...(query.has('after') ? { after: JSON.parse(query.get('after')!) as unknown } : {}) }),
    example: { query: { limit: '20' } },
  },
  { method: 'GET', path: '/calls/{id}', command: 'calls.get', tag: 'calls', summary: 'A call: outcome, analysis, notes, recording (download it from `/recordings/{id}` with the same token)', request: ({ params }) => ({ callId: params.id }), example: {} },
  { method: 'GET', path: '/calls/{id}/transcript', command: 'voice.transcript', tag: 'calls', summary: 'A call’s transcript', request: ({ params }) => ({ callId: params.id }), example: {} },
  { method: 'GET', path: '/webhooks', command: 'webhooks.list', tag: 'webhooks', summary: 'Webhook subscriptions (an admin token)', request: () => ({}), example: {} },
  {
    method: 'POST',
    path: '/webhooks',
    command: 'webhooks.create',
    tag: 'webhooks',
    summary: 'Subscribe a URL to events; the answer carries the signing secret, once',
    status: 201,
    body: commands['webhooks.create'].request,
    request: ({ body }) => body,
    example: { body: { url: 'https://crm.example.com/parley-events', events: ['call.completed', 'call.analysed'], description: 'CRM bridge' } },
  },
  {
    method: 'PATCH',
    path: '/webhooks/{id}',
    command: 'webhooks.update',
    tag: 'webhooks',
    summary: 'Change a subscription (URL, events, on or off)',
    body: shape('webhooks.update').shape.webhook as z.ZodType,
    request: ({ params, body }) => ({ id: params.id, webhook: body }),
    example: { body: { url: 'https://crm.example.com/parley-events', events: ['call.completed'], enabled: false } },
  },
  { method: 'DELETE', path: '/webhooks/{id}', command: 'webhooks.remove', tag: 'webhooks', summary: 'Remove a subscription and its undelivered events', request: ({ params }) => ({ id: params.id }), example: {} },
  {
    method: 'GET',
    path: '/callbacks',
    command: 'callbacks.list',
    tag: 'callbacks',
    summary: 'Callbacks (open ones unless `include=all`)',
    query: { include: { schema: z.enum(['open', 'all']), description: 'Open only, or every state' } },
    request: ({ query }) => ({ include: str(query, 'include') }),
    example: { query: { include: 'all' } },
  },
];
