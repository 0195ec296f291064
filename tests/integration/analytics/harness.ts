import pino from 'pino';
import { createClient, type ParleyClient } from '../../../electron/contracts';
import { createEngine, ManualClock, type Engine } from '../../../electron/engine';
import { tempDataDir } from '../../support/temp-dir';

export interface AnalyticsHarness {
  dataDir: string;
  engine: Engine;
  client: ParleyClient;
  clock: ManualClock;
  sqlite: Engine['context']['store']['sqlite'];
  close(): Promise<void>;
}

/**
 * A real engine on a fresh data folder, with a silent log and a manual clock (or the system clock
 * when a test runs real calls, whose timers need time to pass).
 */
export async function openHarness(options: { realClock?: boolean; dataDir?: string } = {}): Promise<AnalyticsHarness> {
  const temp = options.dataDir ? { dir: options.dataDir, cleanup: () => undefined } : tempDataDir('parley-analytics-');
  const clock = new ManualClock(Date.UTC(2026, 0, 20, 12));
  const engine = await createEngine({
    dataDir: temp.dir,
    ...(options.realClock ? {} : { clock }),
    host: 'test',
    logger: pino({ level: 'silent' }),
    dialer: { mode: 'manual' },
  });
  return {
    dataDir: temp.dir,
    engine,
    client: createClient(engine.transport()),
    clock,
    sqlite: engine.context.store.sqlite,
    close: async () => {
      await engine.dispose();
      temp.cleanup();
    },
  };
}

export const at = (day: number, hour: number, minute = 0) => Date.UTC(2026, 0, day, hour, minute);

/** Raw rows as the dialer and the voice pipeline write them. */
export function insertContact(h: AnalyticsHarness, id: string, name: string, phone: string): void {
  h.sqlite.prepare('INSERT INTO contacts (id, name, phone_e164, created_at, updated_at) VALUES (?, ?, ?, 0, 0)').run(id, name, phone);
}

export interface AttemptRow {
  id: string;
  campaignId: string;
  contactId: string;
  attempt: number;
  variant: string | null;
  outcome: 'completed' | 'no-answer' | 'busy' | 'voicemail' | 'failed';
  createdAt: number;
  /** Transcript lines when the call connected; the call row is written for connected attempts. */
  lines?: Array<['agent' | 'caller', string]>;
}

export function insertAttempt(h: AnalyticsHarness, a: AttemptRow): void {
  const connected = a.outcome === 'completed' || a.outcome === 'voicemail';
  const answeredAt = connected ? a.createdAt + 10_000 : null;
  const endedAt = a.createdAt + 120_000;
  h.sqlite
    .prepare(
      `INSERT INTO dial_attempts (id, campaign_id, contact_id, attempt, phone_e164, variant, state, outcome, created_at, answered_at, ended_at)
       VALUES (?, ?, ?, ?, (SELECT phone_e164 FROM contacts WHERE id = ?), ?, 'ended', ?, ?, ?, ?)`,
    )
    .run(a.id, a.campaignId, a.contactId, a.attempt, a.contactId, a.variant, a.outcome, a.createdAt, answeredAt, endedAt);
  if (!connected) return;
  h.sqlite
    .prepare(
      `INSERT INTO calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at)
       VALUES (?, ?, ?, 'outbound', 'ended', ?, ?, ?, ?, ?)`,
    )
    .run(a.id, a.campaignId, a.contactId, a.outcome, a.createdAt, answeredAt, endedAt, a.createdAt);
  const turn = h.sqlite.prepare('INSERT INTO transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) VALUES (?, ?, ?, ?, ?, ?, 0)');
  (a.lines ?? []).forEach(([speaker, text], seq) => turn.run(a.id, seq, speaker, text, answeredAt! + seq * 5_000, answeredAt! + seq * 5_000 + 4_000));
}

export function insertLatency(h: AnalyticsHarness, callId: string, at: number, stages: Record<string, number>): void {
  h.sqlite.prepare("INSERT INTO call_events (call_id, at, kind, data) VALUES (?, ?, 'turn.latency', ?)").run(callId, at, JSON.stringify(stages));
}

export function insertCost(h: AnalyticsHarness, callId: string, campaignId: string, amountUsd: number, at: number): void {
  h.sqlite.prepare("INSERT INTO call_costs (call_id, campaign_id, item, amount_usd, created_at) VALUES (?, ?, 'telephony', ?, ?)").run(callId, campaignId, amountUsd, at);
}
