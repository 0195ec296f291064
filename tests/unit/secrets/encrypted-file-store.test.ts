import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EncryptedFileSecretStore } from '../../../electron/engine/secrets/encrypted-file-store';
import { tempDataDir } from '../../support/temp-dir';

const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()));
const folder = () => {
  const t = tempDataDir('parley-secrets-');
  temps.push(t.cleanup);
  return t.dir;
};

describe('encrypted file secret store', () => {
  it('keeps secrets across instances, encrypted at rest, in 0600 files', async () => {
    const dir = folder();
    const store = new EncryptedFileSecretStore(dir);
    expect(await store.get('line:a')).toBeUndefined();
    await Promise.all([store.set('line:a', 'pa55-word-a'), store.set('line:b', 'pa55-word-b')]);
    expect(await new EncryptedFileSecretStore(dir).get('line:a')).toBe('pa55-word-a');
    expect(await new EncryptedFileSecretStore(dir).get('line:b')).toBe('pa55-word-b');
    expect(readFileSync(join(dir, 'secrets.enc'), 'utf8')).not.toContain('pa55-word');
    expect(statSync(join(dir, 'secrets.enc')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    await store.delete('line:a');
    expect(await new EncryptedFileSecretStore(dir).get('line:a')).toBeUndefined();
    expect(await store.get('line:b')).toBe('pa55-word-b');
  });

  it('refuses to read with another key (the file cannot be decrypted or forged)', async () => {
    const dir = folder();
    await new EncryptedFileSecretStore(dir).set('line:a', 'secret');
    writeFileSync(join(dir, 'secrets.key'), Buffer.alloc(32, 7));
    await expect(new EncryptedFileSecretStore(dir).get('line:a')).rejects.toThrow();
    writeFileSync(join(dir, 'secrets.key'), Buffer.alloc(5));
    await expect(new EncryptedFileSecretStore(dir).get('line:a')).rejects.toThrow(/damaged/);
  });
});
