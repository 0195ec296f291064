import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AriClient, AriError } from '../../../electron/engine/telephony/audiosocket/ari-client';

describe('ARI client', () => {
  const seen: Array<{ url: string; authorization: string | undefined }> = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ system: { version: '21.1.0' } }));
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('takes credentials written into the URL out of it and never shows them in errors', async () => {
    const client = new AriClient({ url: `http://ari:s3cret@127.0.0.1:${port}/ari/`, username: '', password: '' });
    expect(await client.info()).toEqual({ version: '21.1.0' });
    expect(seen.at(-1)).toEqual({ url: '/ari/asterisk/info', authorization: `Basic ${Buffer.from('ari:s3cret').toString('base64')}` });

    const unreachable = new AriClient({ url: 'http://ari:s3cret@127.0.0.1:1/ari', username: '', password: '', timeoutMs: 1_000 });
    const error = await unreachable.info().catch((e: unknown) => e as AriError);
    expect(error).toBeInstanceOf(AriError);
    expect((error as AriError).status).toBeNull();
    expect((error as AriError).message).toMatch(/unreachable/);
    expect((error as AriError).message).not.toContain('s3cret');
    expect(() => new AriClient({ url: 'not a url', username: 'a', password: 'b' })).toThrow(/not a URL/);
  });
});
