import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandNames, commandRoles, Role, roleAtLeast, type Actor, type Outcome } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { addAccount } from '../../support/accounts';
import { tempDataDir } from '../../support/temp-dir';

let engine: Engine;
let data: { dir: string; cleanup: () => void };
const actors = {} as Record<Role, Actor>;

beforeAll(async () => {
  data = tempDataDir();
  engine = await createEngine({ dataDir: data.dir, host: 'test', dialer: { mode: 'manual' } });
  for (const role of Role.options) {
    const account = await addAccount(engine, role, `matrix-${role}`);
    actors[role] = { userId: account.id, username: account.username, displayName: account.username, role, campaignIds: [], origin: '127.0.0.1' };
  }
});

afterAll(async () => {
  await engine.dispose();
  data.cleanup();
});

describe('role matrix', () => {
  it('declares a role for exactly the commands of the contract', () => {
    expect(Object.keys(commandRoles).sort()).toEqual([...commandNames].sort());
  });

  it('runs every command under every role: below its role forbidden, at or above it never forbidden or unauthorized', async () => {
    const seen: string[] = [];
    for (const command of commandNames) {
      for (const role of Role.options) {
        // An empty payload: the role is checked before the payload, so a refusal cannot depend on it.
        const outcome: Outcome = await engine.invokeAs(actors[role], command, {});
        const allowed = roleAtLeast(role, commandRoles[command]);
        const code = outcome.ok ? 'ok' : outcome.error.code;
        seen.push(`${command} ${role} ${code}`);
        const roleRefusal = !outcome.ok && outcome.error.code === 'forbidden' && outcome.error.message.includes('role');
        if (allowed) expect({ command, role, roleRefusal, unauthorized: code === 'unauthorized' }).toEqual({ command, role, roleRefusal: false, unauthorized: false });
        else expect({ command, role, code, roleRefusal }).toEqual({ command, role, code: 'forbidden', roleRefusal: true });
      }
    }
    expect(seen).toHaveLength(commandNames.length * Role.options.length);
  });

  it('lets a viewer read but not change: campaigns.list yes, campaigns.create, dnc.add, users.list, models.import no', async () => {
    expect(await engine.invokeAs(actors.viewer, 'campaigns.list', {})).toMatchObject({ ok: true });
    for (const [command, payload] of [
      ['campaigns.create', { name: 'Nope' }],
      ['dnc.add', { phone: '+15550100' }],
      ['users.list', {}],
      ['models.import', { path: '/etc' }],
      ['supervision.board', {}],
    ] as const) {
      expect(await engine.invokeAs(actors.viewer, command, payload), command).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect((await engine.invoke('campaigns.list', {})).ok && ((await engine.invoke('campaigns.list', {})) as { result: Array<{ name: string }> }).result.map((c) => c.name)).not.toContain('Nope');
  });
});

describe('campaign scope of supervisors', () => {
  it('a supervisor acts only on the campaigns assigned to them; a manager on all', async () => {
    const a = await engine.invoke('campaigns.create', { name: 'Assigned' });
    const b = await engine.invoke('campaigns.create', { name: 'Not assigned' });
    if (!a.ok || !b.ok) throw new Error('campaigns not created');
    const idA = (a.result as { id: string }).id;
    const idB = (b.result as { id: string }).id;
    const supervisor: Actor = { ...actors.supervisor, campaignIds: [idA] };
    const refused = await engine.invokeAs(supervisor, 'softphone.call', { campaignId: idB});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden', message: 'This campaign is not assigned to you' } });
    const allowed = await engine.invokeAs(supervisor, 'softphone.call', { campaignId: idA});
    expect(allowed.ok ? 'ok' : allowed.error.code).not.toBe('forbidden');
    const manager = await engine.invokeAs(actors.manager, 'softphone.call', { campaignId: idB});
    expect(manager.ok ? 'ok' : manager.error.code).not.toBe('forbidden');
  });

  it('an unknown call is not_found for a supervisor rather than a leak of which calls exist', async () => {
    const outcome = await engine.invokeAs(actors.supervisor, 'supervision.endCall', { callId: 'no-such-call'});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

describe('call-level reads below manager', () => {
  it('a viewer reads a call transcript only for an assigned campaign', async () => {
    const created = await engine.invoke('campaigns.create', { name: 'Transcripts' });
    if (!created.ok) throw new Error('campaign not created');
    const campaignId = (created.result as { id: string }).id;
    // A stored call of that campaign (as the voice side records one).
    engine.context.store.sqlite
      .prepare("insert into calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at) values ('call-t1', ?, null, 'outbound', 'ended', 'completed', 1, 1, 2, 1)")
      .run(campaignId);
    const unassigned: Actor = { ...actors.viewer, campaignIds: [] };
    const assigned: Actor = { ...actors.viewer, campaignIds: [campaignId] };
    expect(await engine.invokeAs(unassigned, 'voice.transcript', { callId: 'call-t1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await engine.invokeAs(unassigned, 'emotion.track', { callId: 'call-t1' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await engine.invokeAs(assigned, 'voice.transcript', { callId: 'call-t1' })).toMatchObject({ ok: true });
    expect(await engine.invokeAs(actors.manager, 'voice.transcript', { callId: 'call-t1' })).toMatchObject({ ok: true });
  });
});
