import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where model files live under `<data>/models`:
 * - `<id>/`           an installed, verified model (only ever created by one rename)
 * - `.staging/<id>/`  a download or import in progress; partial files resume from here
 * - `.trash/`         folders on their way out; emptied at start
 * Model ids cannot start with a dot (see the contract), so they never collide with these.
 */
export class ModelLayout {
  readonly stagingRoot: string;
  readonly trashRoot: string;

  constructor(readonly modelsDir: string) {
    this.stagingRoot = join(modelsDir, '.staging');
    this.trashRoot = join(modelsDir, '.trash');
  }

  async init(): Promise<void> {
    await mkdir(this.stagingRoot, { recursive: true });
    await rm(this.trashRoot, { recursive: true, force: true });
    await mkdir(this.trashRoot, { recursive: true });
  }

  installedDir(modelId: string): string {
    return join(this.modelsDir, modelId);
  }

  stagingDir(key: string): string {
    return join(this.stagingRoot, key);
  }

  /** `relativePath` is a validated catalog path ("onnx/model.onnx"). */
  fileIn(dir: string, relativePath: string): string {
    return join(dir, ...relativePath.split('/'));
  }

  /**
   * Moves a complete staging folder into place with one rename, so a model folder is either
   * absent or whole. A leftover folder under the same name (from a crash) goes to the trash first.
   */
  async place(stagingDir: string, modelId: string): Promise<string> {
    const target = this.installedDir(modelId);
    if (await exists(target)) await this.discard(target);
    await rename(stagingDir, target);
    return target;
  }

  /** Removes a folder by first renaming it into the trash, so a half-deleted model is never visible. */
  async discard(dir: string): Promise<void> {
    if (!(await exists(dir))) return;
    const doomed = join(this.trashRoot, randomUUID());
    await mkdir(this.trashRoot, { recursive: true });
    await rename(dir, doomed);
    await rm(doomed, { recursive: true, force: true });
  }

  /** Bytes under a folder (files only), for the storage limit and partial-download accounting. */
  async sizeOf(dir: string): Promise<number> {
    let total = 0;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return 0;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) total += await this.sizeOf(path);
      else if (entry.isFile()) total += await stat(path).then((s) => s.size, () => 0);
    }
    return total;
  }
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
