import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SealedMapFile } from './sealed-map-file';
import type { SecretStore } from './secret-store';

const KEY_FILE = 'secrets.key';
const DATA_FILE = 'secrets.enc';
const FORMAT = 1;

interface Sealed {
  v: number;
  iv: string;
  tag: string;
  data: string;
}

/**
 * Secrets in `<dataDir>/secrets.enc`, AES-256-GCM under a random 32-byte key kept in
 * `<dataDir>/secrets.key`; both files are created 0600. Each write re-encrypts the whole map with a
 * fresh IV and replaces the file atomically (write then rename). Writes are serialized.
 */
export class EncryptedFileSecretStore implements SecretStore {
  private readonly keyPath: string;
  private readonly dataPath: string;
  private readonly file: SealedMapFile;

  constructor(private readonly dir: string) {
    this.keyPath = join(dir, KEY_FILE);
    this.dataPath = join(dir, DATA_FILE);
    this.file = new SealedMapFile(this.dataPath, { encode: (map) => this.seal(map), decode: (text) => this.open(text) });
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.file.read())[key];
  }

  set(key: string, value: string): Promise<void> {
    return this.file.update((map) => {
      map[key] = value;
    });
  }

  delete(key: string): Promise<void> {
    return this.file.update((map) => {
      delete map[key];
    });
  }

  private key(): Buffer {
    if (existsSync(this.keyPath)) {
      const key = readFileSync(this.keyPath);
      if (key.length !== 32) throw new Error(`The secrets key file ${this.keyPath} is damaged (expected 32 bytes, found ${key.length})`);
      return key;
    }
    mkdirSync(this.dir, { recursive: true });
    const key = randomBytes(32);
    writeFileSync(this.keyPath, key, { mode: 0o600, flag: 'wx' });
    chmodSync(this.keyPath, 0o600);
    return key;
  }

  private open(text: string): Record<string, string> {
    const sealed = JSON.parse(text) as Sealed;
    if (sealed.v !== FORMAT) throw new Error(`The secrets file ${this.dataPath} has an unknown format ${String(sealed.v)}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key(), Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  }

  private seal(map: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(map), 'utf8'), cipher.final()]);
    const sealed: Sealed = { v: FORMAT, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    return JSON.stringify(sealed);
  }
}
