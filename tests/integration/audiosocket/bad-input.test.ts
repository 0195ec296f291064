import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallLegEvent, IncomingCall } from '../../../electron/engine/ports/telephony';
import { AsteriskSocketClient, until } from './support/asterisk-side';
import { openLine } from './support/line';

/** What arrives on the socket, and the one warning each must produce. */
const CORPUS: Array<{ name: string; bytes: Buffer; warning: RegExp }> = [
  { name: 'audio before the UUID', bytes: Buffer.from([0x10, 0x00, 0x02, 0x00, 0x00]), warning: /first message is audio, not the call's UUID/ },
  { name: 'unknown kind', bytes: Buffer.from([0x42, 0x00, 0x01, 0x07]), warning: /unknown message kind 0x42/ },
  { name: 'oversize length', bytes: Buffer.from([0x10, 0xff, 0xff, 0x00]), warning: /message of 65535 bytes \(at most 8192\)/ },
  { name: 'short UUID', bytes: Buffer.from([0x01, 0x00, 0x04, 1, 2, 3, 4]), warning: /UUID message of 4 bytes/ },
  { name: 'DTMF before the UUID', bytes: Buffer.from([0x03, 0x00, 0x01, 0x35]), warning: /first message is dtmf/ },
  { name: 'HTTP request (wrong port)', bytes: Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), warning: /unknown message kind 0x47|at most/ },
];

describe('AudioSocket server: bad input', () => {
  let setup: Awaited<ReturnType<typeof openLine>>;
  const incoming: IncomingCall[] = [];

  beforeAll(async () => {
    setup = await openLine();
    setup.line.onIncoming((call) => {
      incoming.push(call);
      void call.accept();
    });
  });
  afterAll(() => setup.line.dispose());

  it('closes each bad connection with one log line and keeps serving', async () => {
    for (const item of CORPUS) {
      const before = setup.warnings().length;
      const client = await AsteriskSocketClient.open(setup.port);
      client.raw(item.bytes);
      await until(() => client.closed, 3_000);
      const lines = setup.warnings().slice(before);
      expect(lines, item.name).toHaveLength(1);
      expect(lines[0]!.msg, item.name).toMatch(item.warning);
    }
    expect(incoming).toHaveLength(0);
    expect(setup.line.state().status).toBe('ready');
  });

  it('ends a live call on a malformed message mid-call, and on a connection that just drops', async () => {
    const events: CallLegEvent[] = [];
    const client = await AsteriskSocketClient.open(setup.port);
    client.sendUuid(randomUUID());
    await until(() => incoming.length === 1);
    incoming[0]!.leg.onEvent((e) => events.push(e));
    const before = setup.warnings().length;
    client.raw(Buffer.from([0x10, 0x00, 0x03, 1, 2, 3])); // odd byte count: not 16-bit samples
    await until(() => client.closed);
    await until(() => events.some((e) => e.type === 'hangup' || e.type === 'failed'));
    expect(setup.warnings().slice(before).map((l) => l.msg)).toEqual([expect.stringMatching(/audio message of 3 bytes/)]);

    const dropped = await AsteriskSocketClient.open(setup.port);
    dropped.sendUuid(randomUUID());
    await until(() => incoming.length === 2);
    const second: CallLegEvent[] = [];
    incoming[1]!.leg.onEvent((e) => second.push(e));
    dropped.close();
    await until(() => second.some((e) => e.type === 'hangup'));
    expect(second.at(-1)).toEqual({ type: 'hangup', by: 'caller' });
  });

  it("maps Asterisk's error message to the call's end", async () => {
    const client = await AsteriskSocketClient.open(setup.port);
    const count = incoming.length;
    client.sendUuid(randomUUID());
    await until(() => incoming.length === count + 1);
    const events: CallLegEvent[] = [];
    incoming[count]!.leg.onEvent((e) => events.push(e));
    client.send(0xff, Uint8Array.of(0x02));
    await until(() => events.some((e) => e.type === 'hangup'));
    expect(events.at(-1)).toEqual({ type: 'hangup', by: 'carrier' });
    expect(setup.warnings().at(-1)!.msg).toMatch(/frame forwarding error/);
  });

  it('closes a connection that never names its call', async () => {
    const before = setup.warnings().length;
    const client = await AsteriskSocketClient.open(setup.port);
    await until(() => client.closed, 7_000);
    expect(setup.warnings().slice(before).map((l) => l.msg)).toEqual(['AudioSocket connection closed: no UUID within 5 s']);
  }, 10_000);
});
