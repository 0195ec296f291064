import { join } from 'node:path';
import { safeStorage } from 'electron';
import { SealedMapFile } from '../engine/secrets/sealed-map-file';
import type { SecretStore } from '../engine/secrets/secret-store';

/**
 * The desktop app's secret store: each secret encrypted by the OS keychain (Electron safeStorage:
 * Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux) and kept, as ciphertext only, in
 * `<userData>/secrets.keychain.json` (0600). Writes are serialized and replace the file atomically.
 */
export class KeychainSecretStore implements SecretStore {
  private readonly file: SealedMapFile;

  constructor(dir: string) {
    // The values are the keychain's ciphertext; the file itself is plain JSON.
    this.file = new SealedMapFile(join(dir, 'secrets.keychain.json'), { encode: (map) => JSON.stringify(map), decode: (text) => JSON.parse(text) as Record<string, string> });
  }

  /** False where the OS offers no keychain (e.g. Linux without a secret service): use the encrypted file instead. */
  static available(): boolean {
    return safeStorage.isEncryptionAvailable();
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = (await this.file.read())[key];
    return sealed === undefined ? undefined : safeStorage.decryptString(Buffer.from(sealed, 'base64'));
  }

  set(key: string, value: string): Promise<void> {
    return this.file.update((map) => {
      map[key] = safeStorage.encryptString(value).toString('base64');
    });
  }

  delete(key: string): Promise<void> {
    return this.file.update((map) => {
      delete map[key];
    });
  }
}
