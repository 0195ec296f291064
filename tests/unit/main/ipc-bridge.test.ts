import { describe, expect, it, vi } from 'vitest';
import type { Outcome } from '../../../electron/contracts';
import type { Engine } from '../../../electron/engine';

// Electron's ipcMain is replaced by a recorder: the bridge's own logic (one channel per command,
// sender check before the engine) is what is under test.
const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<Outcome>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<Outcome>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { registerIpcBridge } = await import('../../../electron/main/ipc-bridge');
const { commandNames } = await import('../../../electron/contracts');

function fakeEngine() {
  const calls: Array<[string, unknown]> = [];
  const origins: string[] = [];
  const engine = {
    invokeAs: async (actor: { origin: string }, command: string, payload: unknown): Promise<Outcome> => {
      calls.push([command, payload]);
      origins.push(actor.origin);
      return { ok: true, result: 'ran' };
    },
    localActor: (origin: string) => ({ userId: 'local', username: 'admin', displayName: 'admin', role: 'admin', campaignIds: [], origin }),
    context: { logger: { warn: () => undefined } },
  } as unknown as Engine;
  return { engine, calls, origins };
}

const trusted = 'file:///app/out/renderer/index.html';

describe('Electron IPC bridge', () => {
  it('registers one channel per contract command and removes them again', () => {
    const { engine } = fakeEngine();
    const dispose = registerIpcBridge(engine, (url) => url === trusted);
    expect([...handlers.keys()].sort()).toEqual(commandNames.map((n) => `parley:cmd:${n}`).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('forwards commands from the console frame to the engine, as the local admin over IPC', async () => {
    const { engine, calls, origins } = fakeEngine();
    const dispose = registerIpcBridge(engine, (url) => url === trusted);
    const outcome = await handlers.get('parley:cmd:campaigns.create')!({ senderFrame: { url: trusted } }, { name: 'x' });
    expect(outcome).toEqual({ ok: true, result: 'ran' });
    expect(calls).toEqual([['campaigns.create', { name: 'x' }]]);
    expect(origins).toEqual(['ipc']);
    dispose();
  });

  it('refuses commands from any other frame before the engine sees them', async () => {
    const { engine, calls } = fakeEngine();
    const dispose = registerIpcBridge(engine, (url) => url === trusted);
    const outcome = await handlers.get('parley:cmd:campaigns.delete')!({ senderFrame: { url: 'https://evil.example/' } }, { id: 'a' });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const noFrame = await handlers.get('parley:cmd:campaigns.list')!({ senderFrame: null }, {});
    expect(noFrame).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
    dispose();
  });
});
