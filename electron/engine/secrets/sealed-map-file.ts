import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** How a secret store turns its map into the file's text and back (its encryption lives here). */
export interface MapCodec {
  encode(map: Record<string, string>): string;
  decode(text: string): Record<string, string>;
}

/**
 * A string map kept in one file created 0600: updates are serialized, and each replaces the file
 * atomically (write a temporary file, then rename). Both secret stores keep their map this way.
 */
export class SealedMapFile {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly codec: MapCodec,
  ) {}

  /** The map once every update queued before this call has been written. */
  async read(): Promise<Record<string, string>> {
    await this.chain;
    return this.load();
  }

  update(change: (map: Record<string, string>) => void): Promise<void> {
    const next = this.chain.then(() => {
      const map = this.load();
      change(map);
      const temp = `${this.path}.tmp`;
      writeFileSync(temp, this.codec.encode(map), { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, this.path);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private load(): Record<string, string> {
    return existsSync(this.path) ? this.codec.decode(readFileSync(this.path, 'utf8')) : {};
  }
}
