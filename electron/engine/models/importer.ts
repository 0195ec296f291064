import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import {
  ParleyError,
  type Catalog,
  type CatalogFile,
  type CatalogModel,
  type ImportOutcome,
  type InstalledFile,
} from '../../contracts';
import { isDiskFullError } from './disk';
import { sha256File } from './hash';
import type { ModelLayout } from './layout';
import { formatProblem, readHead } from './magic';

export interface ImportHost {
  layout: ModelLayout;
  catalog(): Catalog;
  isInstalled(modelId: string): Promise<boolean>;
  install(model: CatalogModel, stagingDir: string, files: InstalledFile[], source: 'import'): Promise<void>;
}

interface FoundFile {
  absolute: string;
  relative: string;
  size: number;
}

interface Identified {
  source: FoundFile;
  sha256: string;
  verified: boolean;
}

/** Where an import is: the file being checked (hashed) or copied in. */
export interface ImportProgress {
  file: string;
  phase: 'checking' | 'copying';
  doneBytes: number;
  totalBytes: number;
}

const MAX_FILES = 20_000;
const MAX_DEPTH = 6;

/**
 * Imports models from a folder (a USB stick, a network share): files are recognised by size and
 * sha256 against the catalog (names only point at candidates), copied or hard-linked into staging,
 * re-hashed on the way, and a model is installed only when all of its files are present and good.
 */
export async function importFolder(
  host: ImportHost,
  folder: string,
  options: { mode: 'copy' | 'link'; trustUnverified: boolean; signal?: AbortSignal; onProgress?: (progress: ImportProgress) => void },
): Promise<ImportOutcome> {
  const found = await listFiles(folder);
  const catalog = host.catalog();
  const bySize = new Map<number, { model: CatalogModel; file: CatalogFile }[]>();
  const byName = new Map<string, { model: CatalogModel; file: CatalogFile }[]>();
  for (const model of catalog.models) {
    for (const file of model.files) {
      const entry = { model, file }; // one object in both maps, so a file found both ways counts once
      if (file.sizeBytes !== null) push(bySize, file.sizeBytes, entry);
      push(byName, basename(file.path), entry);
    }
  }

  const outcome: ImportOutcome = { imported: [], rejected: [], ignored: [], incomplete: [], alreadyInstalled: [] };
  // modelId -> catalog path -> identified source
  const matches = new Map<string, Map<string, Identified>>();
  for (const candidate of found) {
    const sized = bySize.get(candidate.size) ?? [];
    const named = byName.get(basename(candidate.relative)) ?? [];
    if (sized.length === 0 && named.length === 0) {
      outcome.ignored.push(candidate.relative);
      continue;
    }
    const sha256 = await sha256File(candidate.absolute, {
      ...(options.signal ? { signal: options.signal } : {}),
      onBytes: (read) => options.onProgress?.({ file: candidate.relative, phase: 'checking', doneBytes: read, totalBytes: candidate.size }),
    });
    let hits = [...new Set([...sized, ...named])].filter(({ file }) => file.sha256 === sha256);
    let verified = true;
    if (hits.length === 0) {
      const unknownHash = named.filter(({ file }) => file.sha256 === null && (file.sizeBytes === null || file.sizeBytes === candidate.size));
      if (unknownHash.length > 0 && options.trustUnverified) {
        hits = unknownHash;
        verified = false;
      } else if (unknownHash.length > 0) {
        outcome.rejected.push({
          file: candidate.relative,
          reason: 'unverified',
          message: `${candidate.relative} has the name of ${unknownHash[0]!.model.name}, whose hash the catalog does not know; import with --trust-unverified to accept it`,
        });
        continue;
      } else if (named.length > 0) {
        const expected = named[0]!;
        outcome.rejected.push({
          file: candidate.relative,
          reason: 'checksum_mismatch',
          message: `${candidate.relative} is named like ${expected.model.name}'s ${expected.file.path} but its sha256 (${sha256}) does not match (expected ${expected.file.sha256 ?? 'unknown'}): the file is damaged or a different build`,
        });
        continue;
      } else {
        outcome.ignored.push(candidate.relative);
        continue;
      }
    }
    const head = await readHead(candidate.absolute);
    for (const { model, file } of hits) {
      const problem = formatProblem(file.format, head, candidate.relative);
      if (problem) {
        outcome.rejected.push({ file: candidate.relative, reason: 'not_a_model', message: problem });
        continue;
      }
      const byPath = matches.get(model.id) ?? new Map<string, Identified>();
      if (!byPath.has(file.path)) byPath.set(file.path, { source: candidate, sha256, verified: verified && file.verified });
      matches.set(model.id, byPath);
    }
  }

  for (const [modelId, byPath] of matches) {
    const model = catalog.models.find((m) => m.id === modelId)!;
    const missing = model.files.filter((f) => !byPath.has(f.path)).map((f) => f.path);
    if (missing.length > 0) {
      outcome.incomplete.push({ modelId, missing });
      continue;
    }
    if (await host.isInstalled(modelId)) {
      outcome.alreadyInstalled.push(modelId);
      continue;
    }
    const unverified = model.files.filter((f) => !byPath.get(f.path)!.verified);
    if (unverified.length > 0 && !options.trustUnverified) {
      outcome.rejected.push({
        file: byPath.get(unverified[0]!.path)!.source.relative,
        reason: 'unverified',
        message: `${model.name} matches, but the catalog has not verified ${unverified.map((f) => f.path).join(', ')}; import with --trust-unverified to accept it`,
      });
      continue;
    }
    const staging = host.layout.stagingDir(`${modelId}.import`);
    await host.layout.discard(staging);
    try {
      const files: InstalledFile[] = [];
      for (const file of model.files) {
        const match = byPath.get(file.path)!;
        const target = host.layout.fileIn(staging, file.path);
        await mkdir(dirname(target), { recursive: true });
        await placeFile(match, target, options.mode, options.signal, options.onProgress);
        files.push({ path: file.path, sizeBytes: match.source.size, sha256: match.sha256, verified: match.verified });
      }
      await host.install(model, staging, files, 'import');
      outcome.imported.push({ modelId, name: model.name, files: files.length });
    } catch (error) {
      await host.layout.discard(staging).catch(() => undefined);
      const reason = isDiskFullError(error) ? 'disk_full' : 'io_error';
      outcome.rejected.push({ file: model.files[0]!.path, reason, message: `${model.name} could not be imported: ${(error as Error).message}` });
    }
  }
  return outcome;
}

/** Hard link when the folder is on the same disk (no copy, no extra space); otherwise a verified copy. */
async function placeFile(match: Identified, target: string, mode: 'copy' | 'link', signal?: AbortSignal, onProgress?: (progress: ImportProgress) => void): Promise<void> {
  if (mode === 'link') {
    try {
      await link(match.source.absolute, target);
      const linked = await sha256File(target, signal ? { signal } : {});
      if (linked === match.sha256) return;
      throw new ParleyError('conflict', `${match.source.relative} changed while it was being imported`);
    } catch (error) {
      if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      await rm(target, { force: true });
    }
  }
  // Hash while copying: what lands on disk must be what was identified (a flaky USB stick shows up here).
  const hash = createHash('sha256');
  let copied = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      onProgress?.({ file: match.source.relative, phase: 'copying', doneBytes: (copied += chunk.length), totalBytes: match.source.size });
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(match.source.absolute), tap, createWriteStream(target, { flags: 'wx' }), ...(signal ? [{ signal }] : []));
  const digest = hash.digest('hex');
  if (digest !== match.sha256) {
    throw new ParleyError('conflict', `${match.source.relative} read back differently while copying (sha256 ${digest}); the source may be failing`);
  }
}

async function listFiles(folder: string): Promise<FoundFile[]> {
  const info = await lstat(folder).catch(() => undefined);
  if (!info) throw new ParleyError('not_found', `The folder ${folder} does not exist`);
  if (!info.isDirectory()) throw new ParleyError('invalid_payload', `${folder} is not a folder`);
  const files: FoundFile[] = [];
  const walk = async (dir: string, depth: number) => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (dir === folder) throw new ParleyError('unavailable', `Cannot read ${folder}: ${(error as Error).message}`);
      return; // an unreadable subfolder is skipped, the rest still imports
    }
    for (const entry of entries) {
      if (files.length >= MAX_FILES) return;
      if (entry.name.startsWith('.')) continue;
      const absolute = join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH) await walk(absolute, depth + 1);
      else if (entry.isFile()) {
        const size = (await lstat(absolute)).size;
        files.push({ absolute, relative: relative(folder, absolute).split('\\').join('/'), size });
      }
    }
  };
  await walk(folder, 0);
  return files;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
