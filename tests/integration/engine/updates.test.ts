import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type UpdateStatus } from '../../../electron/contracts';
import { createEngine } from '../../../electron/engine';
import type { AppUpdates } from '../../../electron/engine/ports/updates';
import { tempDataDir } from '../../support/temp-dir';

describe('updates through the contract', () => {
  const data = tempDataDir('parley-updates-');
  afterAll(() => data.cleanup());

  it('a host that cannot update says so; one that can is driven through the contract, its changes reach admins only', async () => {
    const plain = await createEngine({ dataDir: `${data.dir}/a`, logger: pino({ level: 'silent' }), version: '1.1.0' });
    try {
      const client = createClient(plain.transport());
      expect(await client.call('updates.status', {})).toMatchObject({ available: false, state: 'unavailable', currentVersion: '1.1.0' });
      await expect(client.call('updates.check', {})).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await plain.dispose();
    }

    let status: UpdateStatus = { available: true, checkOnStart: true, state: 'idle', currentVersion: '1.1.0', version: null, releaseNotes: null, percent: null, detail: 'Not checked yet', checkedAt: null };
    const listeners = new Set<(s: UpdateStatus) => void>();
    const port: AppUpdates = {
      status: () => status,
      check: async () => {
        status = { ...status, state: 'ready', version: '1.2.0', detail: 'Parley 1.2.0 is ready: restart to install it' };
        for (const l of listeners) l(status);
        return status;
      },
      setCheckOnStart: async (enabled) => (status = { ...status, checkOnStart: enabled }),
      install: async () => status,
      onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    };
    const engine = await createEngine({ dataDir: `${data.dir}/b`, logger: pino({ level: 'silent' }), updates: port });
    try {
      const admin = createClient(engine.transport());
      const viewerActor = { userId: 'v', username: 'v', displayName: 'V', role: 'viewer' as const, campaignIds: [], origin: 'test' };
      const adminActor = { ...viewerActor, userId: 'a', role: 'admin' as const };
      const viewer = createClient(engine.transport(viewerActor));
      const adminSaw: string[] = [];
      const viewerSaw: string[] = [];
      // What each signed-in console is sent (the server's socket applies this filter to every event).
      engine.subscribe((e) => {
        if (e.name !== 'updates.changed') return;
        if (engine.visibleTo(adminActor, e)) adminSaw.push(e.payload.state);
        if (engine.visibleTo(viewerActor, e)) viewerSaw.push(e.payload.state);
      });
      expect(await admin.call('updates.check', {})).toMatchObject({ state: 'ready', version: '1.2.0' });
      expect(await admin.call('updates.setCheckOnStart', { enabled: false })).toMatchObject({ checkOnStart: false });
      await expect(viewer.call('updates.status', {})).rejects.toMatchObject({ code: 'forbidden' });
      await new Promise((r) => setTimeout(r, 50));
      expect(adminSaw).toEqual(['ready']);
      expect(viewerSaw).toEqual([]);
      const audit = await admin.call('audit.list', { action: 'settings.change' });
      expect(audit.entries[0]).toMatchObject({ target: 'updates.checkOnStart' });
    } finally {
      await engine.dispose();
    }
  });
});
