import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStore } from '../engine/secrets/secret-store';

/**
 * The desktop app's secret store: each secret encrypted by the OS keychain (Electron safeStorage:
 * Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and kept, as ciphertext only, in
 * `<userData>/secrets.keychain.json` (0600). Writes are serialized and replace the file atomically.
 */
export class KeychainSecretStore implements SecretStore {
  private readonly path: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(dir: string) {
    this.path = join(dir, 'secrets.keychain.json');
  }

  /** False where the OS offers no keychain (e.g. Linux without a secret service): use the encrypted file instead. */
  static available(): boolean {
    return safeStorage.isEncryptionAvailable();
  }

  async get(key: string): Promise<string | undefined> {
    await this.chain;
    const sealed = this.read()[key];
    return sealed === undefined ? undefined : safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  set(key: string, value: string): Promise<void> {
    return this.update((map) => {
      map[key] = safeStorage.encryptString(value).toString('base64');
    });
  }

  delete(key: string): Promise<void> {
    return this.update((map) => {
      delete map[key];
    });
  }

  private update(change: (map: Record<string, string>) => void): Promise<void> {
    const next = this.chain.then(() => {
      const map = this.read();
      change(map);
      const temp = `${this.path}.tmp`;
      writeFileSync(temp, JSON.stringify(map), { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, this.path);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }

  private read(): Record<string, string> {
    return existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, string>) : {};
  }
}
