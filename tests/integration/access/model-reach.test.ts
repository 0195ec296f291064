import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { addressKind, assertCustomUrlAllowed, assertPublicTarget } from '../../../electron/engine/models/url-policy';
import { addAccount } from '../../support/accounts';
import { tempDataDir } from '../../support/temp-dir';

let engine: Engine;
let data: { dir: string; cleanup: () => void };
let manager: Actor;

beforeAll(async () => {
  data = tempDataDir();
  engine = await createEngine({ dataDir: data.dir, host: 'test' });
  const account = await addAccount(engine, 'manager', 'mia');
  manager = { userId: account.id, username: 'mia', displayName: 'mia', role: 'manager', campaignIds: [], origin: '10.0.0.7' };
});

afterAll(async () => {
  await engine.dispose();
  data.cleanup();
});

describe('no server-side reach beyond the role', () => {
  it('models.import and models.download are refused to everyone but admins (no listing of /etc)', async () => {
    const imported = await engine.invokeAs(manager, 'models.import', { folder: '/etc' });
    expect(imported).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(JSON.stringify(imported)).not.toContain('passwd');
    const downloaded = await engine.invokeAs(manager, 'models.download', { modelId: 'whisper-tiny-en', url: 'http://169.254.169.254/latest/meta-data' });
    expect(downloaded).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('an admin download from a URL that is neither in the catalog nor on an approved mirror host is refused', async () => {
    const catalog = await engine.invoke('models.catalog', {});
    if (!catalog.ok) throw new Error('no catalog');
    const oneFile = (catalog.result as Array<{ model: { id: string; files: Array<{ urls: string[] }> } }>).map((l) => l.model).find((m) => m.files.length === 1)!;
    for (const url of ['http://127.0.0.1:9/model.bin', 'http://169.254.169.254/latest/meta-data', 'http://intranet.example/secret', 'http://[::1]/x']) {
      const outcome = await engine.invoke('models.download', { modelId: oneFile.id, url, trustUnverified: true });
      expect(outcome, url).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('catalog') } });
    }
    expect(((await engine.invoke('models.downloads', {})) as { result: unknown[] }).result).toEqual([]);
  });

  it('a mirror host on a private network is refused unless its rule allows it', async () => {
    const mirrors = [{ from: 'https://huggingface.co/', to: 'http://10.1.2.3/hf/' }];
    expect(() => assertCustomUrlAllowed('http://10.1.2.3/hf/model.bin', [], mirrors)).not.toThrow();
    await expect(assertPublicTarget('http://10.1.2.3/hf/model.bin', false)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('private') });
    await expect(assertPublicTarget('http://10.1.2.3/hf/model.bin', true)).resolves.toBeUndefined();
    // A public name that resolves to loopback (DNS rebinding of a download) is refused too.
    await expect(assertPublicTarget('http://rebind.example/x', false, async () => ['127.0.0.1'])).rejects.toMatchObject({ message: expect.stringContaining('loopback') });
    await expect(assertPublicTarget('http://public.example/x', false, async () => ['93.184.216.34'])).resolves.toBeUndefined();
  });

  it('classifies addresses', () => {
    expect(['127.0.0.1', '::1', '169.254.169.254', 'fe80::1', '10.0.0.1', '172.16.5.4', '192.168.1.1', 'fd00::1', '0.0.0.0', '::ffff:127.0.0.1', '8.8.8.8', '2001:4860::8888'].map(addressKind)).toEqual([
      'loopback',
      'loopback',
      'link-local',
      'link-local',
      'private',
      'private',
      'private',
      'private',
      'unspecified',
      'loopback',
      'public',
      'public',
    ]);
  });
});
