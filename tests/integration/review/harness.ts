import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { createClient, type Actor, type ParleyClient } from '../../../electron/contracts';
import { createEngine, ManualClock, type Engine } from '../../../electron/engine';
import { recordingRelativePath } from '../../../electron/engine/review/recording-files';
import { tempDataDir } from '../../support/temp-dir';

export interface ReviewHarness {
  dataDir: string;
  engine: Engine;
  client: ParleyClient;
  clock: ManualClock;
  sqlite: Engine['context']['store']['sqlite'];
  /** A client acting as another user (a supervisor of some campaigns, a viewer). */
  clientAs(actor: Partial<Actor> & Pick<Actor, 'role'>): ParleyClient;
  close(): Promise<void>;
}

export const DAY = 86_400_000;

/** A real engine on a fresh data folder, silent log, manual clock, dialer off. */
export async function openReview(): Promise<ReviewHarness> {
  const temp = tempDataDir('parley-review-');
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 12));
  const engine = await createEngine({ dataDir: temp.dir, clock, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' } });
  const admin = engine.localActor('test');
  return {
    dataDir: temp.dir,
    engine,
    client: createClient(engine.transport()),
    clock,
    sqlite: engine.context.store.sqlite,
    clientAs: (actor) => createClient(engine.transport({ ...admin, campaignIds: [], ...actor })),
    close: async () => {
      await engine.dispose();
      temp.cleanup();
    },
  };
}

export function insertCampaign(h: ReviewHarness, id: string, name: string, settings: Record<string, unknown> = {}): void {
  h.sqlite
    .prepare(`insert into campaigns (id, name, agent_prompt, questions, status, created_at, updated_at, disclosure, emotion_settings, settings) values (?, ?, '', '[]', 'completed', 0, 0, 1, '{}', ?)`)
    .run(id, name, JSON.stringify(settings));
}

export function insertContact(h: ReviewHarness, id: string, name: string, phone: string, email: string | null = null): void {
  h.sqlite.prepare('insert into contacts (id, name, phone_e164, email, created_at, updated_at) values (?, ?, ?, ?, 0, 0)').run(id, name, phone, email);
}

export interface CallSeed {
  id: string;
  campaignId: string | null;
  contactId?: string | null;
  createdAt: number;
  durationMs?: number;
  outcome?: string;
  direction?: 'outbound' | 'inbound';
  dryRun?: boolean;
  lineId?: string | null;
  lines?: Array<['agent' | 'caller', string]>;
  score?: number;
  variant?: string;
}

/** Rows as the dialer, the voice pipeline and the analysis write them. */
export function insertCall(h: ReviewHarness, c: CallSeed): void {
  const answeredAt = c.createdAt + 5_000;
  const endedAt = answeredAt + (c.durationMs ?? 60_000);
  h.sqlite
    .prepare(
      `insert into calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at, dry_run, line_id)
       values (?, ?, ?, ?, 'ended', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(c.id, c.campaignId, c.contactId ?? null, c.direction ?? 'outbound', c.outcome ?? 'completed', c.createdAt, answeredAt, endedAt, c.createdAt, c.dryRun ? 1 : 0, c.lineId ?? null);
  const turn = h.sqlite.prepare('insert into transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) values (?, ?, ?, ?, ?, ?, 0)');
  (c.lines ?? []).forEach(([speaker, text], seq) => turn.run(c.id, seq, speaker, text, answeredAt + seq * 2_000, answeredAt + seq * 2_000 + 1_500));
  if (c.score !== undefined) {
    h.sqlite
      .prepare(
        `insert into call_analysis (call_id, campaign_id, contact_id, call_created_at, created_at, method, model, outcome, summary, answers, qualification, interest, budget, timeline, decision_maker, csat, next_action, dominant_emotion, conversation, qualified, converted)
         values (?, ?, ?, ?, ?, 'rules', null, 'interested', 'They asked about prices.', '[]', ?, 'medium', '{}', '{}', 'unknown', 4, '{"kind":"send_info","detail":"Send the price list"}', null, 1, 0, 0)`,
      )
      .run(c.id, c.campaignId, c.contactId ?? null, c.createdAt, endedAt, c.score);
  }
  if (c.variant !== undefined && c.contactId) {
    h.sqlite
      .prepare(
        `insert into dial_attempts (id, campaign_id, contact_id, attempt, phone_e164, variant, state, outcome, created_at, answered_at, ended_at)
         values (?, ?, ?, 1, (select phone_e164 from contacts where id = ?), ?, 'ended', 'completed', ?, ?, ?)`,
      )
      .run(c.id, c.campaignId, c.contactId, c.contactId, c.variant, c.createdAt, answeredAt, endedAt);
  }
}

/** A stereo WAV recording made with sox (left: a 440 Hz tone, right: 660 Hz) and its row, as the recorder stores one. */
export function insertRecording(h: ReviewHarness, callId: string, at: number, seconds = 3): { relative: string; file: string; bytes: number } {
  const relative = recordingRelativePath(callId, at, 'wav');
  const file = join(h.dataDir, relative);
  mkdirSync(dirname(file), { recursive: true });
  execFileSync('sox', ['-n', '-r', '8000', '-c', '2', '-b', '16', file, 'synth', String(seconds), 'sine', '440', 'sine', '660']);
  const bytes = statSync(file).size;
  h.sqlite
    .prepare(`insert into call_recordings (call_id, path, format, sample_rate, channels, status, started_at, ended_at, duration_ms, bytes, sha256) values (?, ?, 'wav', 8000, 2, 'complete', ?, ?, ?, ?, null)`)
    .run(callId, relative, at, at + seconds * 1000, seconds * 1000, bytes);
  return { relative, file, bytes };
}
