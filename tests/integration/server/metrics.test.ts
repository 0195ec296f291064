import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../electron/engine';
import type { RunningServer } from '../../../electron/server/http-server';
import { addAccount } from '../../support/accounts';
import { startTestServer } from '../../support/test-server';

const promtool = spawnSync('promtool', ['--version']).status === 0;
if (!promtool) {
  if (process.env.CI === 'true') throw new Error('promtool is required in CI (apt-get install prometheus)');
  console.warn('[not run] metrics lint: promtool is not installed (apt-get install prometheus)');
}

let engine: Engine;
let server: RunningServer;
let close: () => Promise<void>;
const accounts = new Map<string, { username: string; password: string }>();
const token = async (role: 'manager' | 'viewer') => {
  const account = accounts.get(role) ?? (await addAccount(engine, role));
  accounts.set(role, account);
  return (await engine.context.access.signIn({ username: account.username, password: account.password }, { origin: '127.0.0.1', loopback: true })).token;
};
const scrape = (bearer?: string) => fetch(`${server.url}/metrics`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });

beforeAll(async () => {
  ({ engine, server, close } = await startTestServer());
});
afterAll(() => close?.());

describe('/metrics', () => {
  it('answers only a manager, never with the console’s HTML', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(await token('viewer'))).status).toBe(403);
    const response = await scrape(await token('manager'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).not.toContain('<!doctype html>');
  });

  it('counts what calls, lines, the outbox and alerts do, and passes promtool’s lint', async () => {
    const events = engine.context.events;
    events.emit('call.started', { callId: 'c1', campaignId: null, contactId: null, agent: 'scripted', engines: { stt: 's', llm: null, tts: 't', vad: 'v', telephony: 'x' } });
    events.emit('call.started', { callId: 'c2', campaignId: null, contactId: null, agent: 'scripted', engines: { stt: 's', llm: null, tts: 't', vad: 'v', telephony: 'x' } });
    events.emit('call.latency', { callId: 'c1', turn: 1, endpointMs: 600, sttMs: 120, llmFirstTokenMs: 300, ttsFirstChunkMs: 80, transportMs: 5, totalMs: 1_105, endpointReason: 'default' });
    events.emit('call.ended', { callId: 'c1', campaignId: null, outcome: 'completed', detail: 'done', durationMs: 42_000 });
    events.emit('office.alert', { id: 'sync:crm', kind: 'sync-failing', severity: 'warning', message: 'x', at: Date.now(), campaignId: null, providerId: null });
    await engine.invoke('lines.create', { kind: 'simulated', name: 'Rehearsal' });
    const body = await (await scrape(await token('manager'))).text();
    expect(body).toContain('parley_live_calls 1');
    expect(body).toContain('parley_calls_ended_total{outcome="completed"} 1');
    expect(body).toContain('parley_call_duration_seconds_count 1');
    expect(body).toMatch(/parley_turn_latency_seconds_bucket\{le="0\.8",stage="llm_first_token"\} 1/);
    expect(body).toContain('parley_line_up{line="Rehearsal",kind="simulated"} 1');
    expect(body).toContain('parley_office_alerts{kind="sync-failing"} 1');
    expect(body).toContain('parley_outbox_rows');
    expect(body).toMatch(/parley_event_loop_delay_p99_seconds \d/);
    if (!promtool) return;
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
  });
});
