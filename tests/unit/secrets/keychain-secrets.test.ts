import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDataDir } from '../../support/temp-dir';

// A test double of Electron's safeStorage (the real one needs the app and an OS keychain): it
// "encrypts" by XOR so the test can tell ciphertext from clear text.
vi.mock('electron', () => {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    safeStorage: {
      isEncryptionAvailable: () => true,
      encryptString: (text: string) => xor(Buffer.from(text, 'utf8')),
      decryptString: (sealed: Buffer) => xor(sealed).toString('utf8'),
    },
  };
});

const { KeychainSecretStore } = await import('../../../electron/main/keychain-secrets');

const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()));

describe('keychain secret store (desktop app)', () => {
  it('keeps only safeStorage ciphertext, in a 0600 file, and reads it back', async () => {
    const t = tempDataDir('parley-keychain-');
    temps.push(t.cleanup);
    const store = new KeychainSecretStore(t.dir);
    await store.set('line:a', 'pa55-word');
    expect(await new KeychainSecretStore(t.dir).get('line:a')).toBe('pa55-word');
    const file = join(t.dir, 'secrets.keychain.json');
    expect(readFileSync(file, 'utf8')).not.toContain('pa55-word');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await store.delete('line:a');
    expect(await store.get('line:a')).toBeUndefined();
  });
});
