import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CarrierState, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import type { CallLeg, DialRequest, Telephony } from '../../../electron/engine/ports/telephony';
import { importText } from '../dialer/harness';
import { tempDataDir } from '../../support/temp-dir';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';

const ALL_DAY = LEGAL_ALL_WEEK;

/** A carrier whose connection goes down and comes back (a test double for a SIP trunk). */
class FlakyCarrier implements Telephony {
  readonly name = 'flaky trunk';
  readonly capabilities = { answeringMachineDetection: false, dtmf: true, inbound: false };
  readonly dialled: string[] = [];
  private status: CarrierState = { status: 'unreachable', detail: 'No answer from 127.0.0.1:5060 (network unreachable)', since: new Date().toISOString() };
  private readonly listeners = new Set<(state: CarrierState) => void>();

  state(): CarrierState {
    return this.status;
  }

  onStateChange(listener: (state: CarrierState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  set(status: CarrierState['status'], detail: string): void {
    this.status = { status, detail, since: new Date().toISOString() };
    for (const listener of this.listeners) listener(this.status);
  }

  async dial(request: DialRequest): Promise<CallLeg> {
    this.dialled.push(request.to);
    throw new Error('the far end is not there');
  }

  async dispose(): Promise<void> {}
}

/**
 * A line that cannot place calls (network gone, wrong password) shows why, and the dialer leaves the
 * campaign's queue alone: no attempt is spent on it. Once the line is back, dialing resumes.
 */
describe('a line that is down', () => {
  const data = tempDataDir('parley-line-down-');
  const carrier = new FlakyCarrier();
  let engine: Engine;
  let client: ParleyClient;

  beforeAll(async () => {
    engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' }, carriers: { sip: () => carrier } });
    client = createClient(engine.transport());
    await importText(engine, ['name,phone,timezone', `Dana Smith,+13125550101,${daytimeZone()}`, `Lee Wong,+13125550102,${daytimeZone()}`].join('\n'));
  });
  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('shows the line red with the reason, places no call and spends no attempt; dials once the line is back', async () => {
    const line = await client.call('lines.create', { kind: 'sip', name: 'Office trunk', maxCalls: 2, settings: { server: '127.0.0.1', username: 'parley' } });
    expect(line.state).toMatchObject({ status: 'unreachable', detail: expect.stringContaining('network unreachable') });
    const campaign = await client.call('campaigns.create', { name: 'Reminders', lineId: line.id, callingWindow: ALL_DAY, maxAttempts: 1 });
    await client.call('campaigns.launch', { id: campaign.id });

    for (let i = 0; i < 3; i++) expect((await engine.context.dialing.dialer.tick()).placed).toEqual([]);
    carrier.set('auth-failed', '403 Forbidden from 127.0.0.1: wrong password');
    expect((await client.call('lines.get', { id: line.id })).state.status).toBe('auth-failed');
    expect((await engine.context.dialing.dialer.tick()).placed).toEqual([]);
    expect(carrier.dialled).toEqual([]);
    const attempts = () => engine.context.store.sqlite.prepare('select count(*) from dial_attempts where campaign_id = ?').pluck().get(campaign.id);
    expect(attempts()).toBe(0);
    expect(await client.call('campaigns.counters', { id: campaign.id })).toMatchObject({ queued: 2, dialing: 0 });

    carrier.set('ready', 'Registered');
    const report = await engine.context.dialing.dialer.tick();
    expect(report.placed).toHaveLength(2);
    await engine.context.dialing.dialer.settled();
    expect(carrier.dialled.sort()).toEqual(['+13125550101', '+13125550102']);
    expect(attempts()).toBe(2);
  });
});
