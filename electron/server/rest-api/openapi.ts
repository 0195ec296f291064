import { z } from 'zod';
import { commands, ErrorCode } from '../../contracts';
import { PARLEY_VERSION } from '../version';
import { ROUTES } from './routes';

type Schema = Record<string, unknown>;

/** A zod schema as OpenAPI 3.1's JSON Schema (2020-12): what a request may send, or what a response holds. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Schema;
  return rest;
}

let cached: Schema | undefined;

/**
 * The OpenAPI 3.1 document of REST API v1, generated from the route table and the contract's zod
 * schemas (nothing written by hand can drift from what the engine checks). Served at
 * `/api/v1/openapi.json`.
 */
export function openApiDocument(): Schema {
  if (cached) return cached;
  const paths: Record<string, Record<string, Schema>> = {};
  for (const route of ROUTES) {
    const command = commands[route.command];
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } })),
      ...Object.entries(route.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: false, description: q.description, schema: jsonSchema(q.schema, 'input'), ...(route.example.query?.[name] !== undefined ? { example: route.example.query[name] } : {}) })),
    ];
    const requestBody = route.csvBody
      ? { required: true, content: { 'text/csv': { schema: { type: 'string' }, example: route.example.body } } }
      : route.body
        ? { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input'), example: route.example.body ?? {} } } }
        : undefined;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = {
      operationId: route.command.replace('.', '_') + (route.csvBody ? '_csv' : ''),
      summary: route.summary,
      tags: [route.tag],
      'x-parley-command': route.command,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        [String(route.status ?? 200)]: { description: 'The command’s result', content: { 'application/json': { schema: jsonSchema(command.response as z.ZodType, 'output') } } },
        default: { description: 'An error, with the contract’s code', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Parley REST API', version: `1 (Parley ${PARLEY_VERSION})`, description: 'Campaigns, contacts, do-not-call, calls and callbacks for other systems. Every operation runs one command of the engine’s contract, with the token’s role.' },
    servers: [{ url: '/api/v1' }],
    security: [{ apiToken: [] }],
    components: {
      securitySchemes: { apiToken: { type: 'http', scheme: 'bearer', description: 'An API token (`pk_…`) made by an admin (apiTokens.create).' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string', enum: ErrorCode.options }, message: { type: 'string' } } } },
        },
      },
    },
    paths,
  };
  return cached;
}
