import { describe, expect, it, vi } from 'vitest';
import { AUDIO_IPC, decodeAudioFrame, encodeAudioFrame, type AudioFrame, type Outcome } from '../../../electron/contracts';
import type { Engine } from '../../../electron/engine';
import { AudioStreamHub } from '../../../electron/engine/supervision/audio-streams';

// Electron's ipcMain and MessageChannelMain are replaced by recorders: the main process's own logic
// (sender check, ticket, frames both ways over the port, closing) is what is under test.
const { handlers, channels, FakePort } = vi.hoisted(() => {
  class Port {
    private readonly listeners = new Map<string, Array<(arg?: unknown) => void>>();
    readonly posted: unknown[] = [];
    on(name: string, listener: (arg?: unknown) => void) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    }
    emit(name: string, arg?: unknown) {
      for (const listener of this.listeners.get(name) ?? []) listener(arg);
    }
    started = false;
    closed = false;
    postMessage(data: unknown) {
      this.posted.push(data);
    }
    start() {
      this.started = true;
    }
    close() {
      if (this.closed) return;
      this.closed = true;
      this.emit('close');
    }
  }
  return {
    handlers: new Map<string, (event: unknown, payload: unknown) => Promise<Outcome>>(),
    channels: [] as Array<{ port1: Port; port2: Port }>,
    FakePort: Port,
  };
});
type FakePort = InstanceType<typeof FakePort>;

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<Outcome>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  MessageChannelMain: class {
    port1 = new FakePort();
    port2 = new FakePort();
    constructor() {
      channels.push(this);
    }
  },
}));

const { registerAudioPorts } = await import('../../../electron/main/audio-ports');

const trusted = 'file:///app/out/renderer/index.html';

function setup() {
  const hub = new AudioStreamHub({ ttlMs: 10_000 });
  const engine = { context: { supervision: { audio: hub }, logger: { warn: () => undefined } } } as unknown as Engine;
  const dispose = registerAudioPorts(engine, (url) => url === trusted);
  const sent: Array<{ channel: string; data: unknown; ports: FakePort[] }> = [];
  const event = (url: string) => ({ senderFrame: { url }, sender: { postMessage: (channel: string, data: unknown, ports: FakePort[]) => sent.push({ channel, data, ports }) } });
  return { hub, dispose, sent, event, open: handlers.get(AUDIO_IPC.open)! };
}

describe('Electron audio ports', () => {
  it('opens a stream for a valid ticket from the console and carries frames both ways', async () => {
    const { hub, dispose, sent, event, open } = setup();
    const received: AudioFrame[] = [];
    let closedByConsole = false;
    let engineSink: { send(f: AudioFrame): void; close(r: string): void } | undefined;
    const ticket = hub.issue('call-1', (sink) => {
      engineSink = sink;
      return { receive: (f) => received.push(f), closed: () => (closedByConsole = true) };
    });
    expect(await open(event(trusted), ticket.token)).toEqual({ ok: true, result: null });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.channel).toBe(AUDIO_IPC.port);
    expect(sent[0]!.data).toEqual({ token: ticket.token });
    const { port1, port2 } = channels.at(-1)!;
    expect(sent[0]!.ports).toEqual([port2]);
    expect(port1.started).toBe(true);

    // Engine -> console: an encoded frame on the port.
    engineSink!.send({ kind: 'agent', callId: 'call-1', sampleRate: 16_000, samples: Int16Array.of(1, 2, 3) });
    expect(decodeAudioFrame(port1.posted[0] as ArrayBuffer)).toMatchObject({ kind: 'agent', samples: Int16Array.of(1, 2, 3) });
    // Console -> engine: microphone frames reach the stream; junk is ignored.
    port1.emit('message', { data: encodeAudioFrame({ kind: 'mic', callId: 'call-1', sampleRate: 48_000, samples: Int16Array.of(7) }) });
    port1.emit('message', { data: new ArrayBuffer(3) });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ kind: 'mic', sampleRate: 48_000 });
    // The console closes its end: the engine hears of it once.
    port1.emit('close');
    expect(closedByConsole).toBe(true);
    dispose();
    expect(handlers.has(AUDIO_IPC.open)).toBe(false);
  });

  it('refuses untrusted frames, missing tickets and used tickets', async () => {
    const { hub, dispose, sent, event, open } = setup();
    const ticket = hub.issue('call-1', () => ({ receive: () => undefined, closed: () => undefined }));
    expect(await open(event('https://evil.example/'), ticket.token)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await open(event(trusted), 42)).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await open(event(trusted), ticket.token)).toMatchObject({ ok: true });
    expect(await open(event(trusted), ticket.token)).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('unknown, used or expired') } });
    expect(sent).toHaveLength(1);
    dispose();
  });
});
