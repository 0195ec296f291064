import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import bundled from '../../../models/catalog.json' with { type: 'json' };
import { Catalog, ParleyError, type CatalogModel, type ErrorIssue } from '../../contracts';

/**
 * The catalog manifest: validated with the contract's zod schema, with errors that name the model
 * and field, so a hand-edited or mirrored catalog fails loudly instead of half-working.
 */
export function parseCatalog(raw: unknown, source: string): Catalog {
  const parsed = Catalog.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = describeIssues(parsed.error, raw);
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw new ParleyError('invalid_payload', `Model catalog ${source} is invalid: ${first.path ? `${first.path}: ` : ''}${first.message}${more}`, issues);
}

export async function loadCatalogFile(path: string): Promise<Catalog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ParleyError('not_found', `Cannot read the model catalog ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ParleyError('invalid_payload', `Model catalog ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseCatalog(raw, path);
}

/** The catalog shipped with this version of Parley (models/catalog.json, bundled at build time). */
export function bundledCatalog(): Catalog {
  return parseCatalog(bundled, 'models/catalog.json');
}

/** Total bytes to fetch, or null when some file's size is unknown. */
export function downloadBytes(model: CatalogModel): number | null {
  let total = 0;
  for (const file of model.files) {
    if (file.sizeBytes === null) return null;
    total += file.sizeBytes;
  }
  return total;
}

export function isVerified(model: CatalogModel): boolean {
  return model.files.every((f) => f.verified);
}

function describeIssues(error: z.ZodError, raw: unknown): ErrorIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((part, i) => {
      if (typeof part === 'number') {
        const label = i === 1 && issue.path[0] === 'models' ? modelLabel(raw, part) : '';
        return `[${part}]${label}`;
      }
      return i === 0 ? String(part) : `.${String(part)}`;
    });
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    const message = missing
      ? `missing required field "${String(issue.path[issue.path.length - 1])}"`
      : issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`
        : issue.message;
    return { path: path.join(''), message };
  });
}

function modelLabel(raw: unknown, index: number): string {
  const models = (raw as { models?: unknown } | null)?.models;
  const id = Array.isArray(models) ? (models[index] as { id?: unknown } | undefined)?.id : undefined;
  return typeof id === 'string' ? ` ("${id.slice(0, 80)}")` : '';
}
