import type { Kysely } from 'kysely';
import { OpusEncoderPool } from '../audio/opus-encoder-pool';
import type { Clock } from '../clock';
import { consentRequirement } from '../domain/recording-consent';
import type { Logger } from '../logging';
import { readSettings } from '../storage/campaign-settings-store';
import type { Database } from '../storage/schema';
import { CallRecorder } from './call-recorder';
import { finaliseFromDisk, recordingPath, recoverRecordings } from './recovery';

/** What a call's campaign and contact say about recording it. */
export interface RecordingPolicy {
  record: boolean;
  askConsent: boolean;
  redact: boolean;
  /** Why the call is or is not recorded, or why consent is asked (a call event). */
  why: string;
}

/** Queues a database write in the call's order (CallStore.write). */
export type CallWrite = (what: string, work: () => Promise<unknown>) => void;

/**
 * Recording for the whole engine: the one encoder thread every call shares, the per-call policy
 * (campaign setting, disclosure, consent by state, redaction), the rows of `call_recordings`, and the
 * startup recovery of files a crash left open.
 */
export class CallRecordings {
  private readonly pool = new OpusEncoderPool();

  constructor(
    private readonly deps: { db: Kysely<Database>; dataDir: string; clock: Clock; logger: Logger },
  ) {}

  async policy(input: { campaignId: string | null; contactId: string | null; phoneE164: string; disclosure: boolean }): Promise<RecordingPolicy> {
    const campaign = input.campaignId ? await this.deps.db.selectFrom('campaigns').select('settings').where('id', '=', input.campaignId).executeTakeFirst() : undefined;
    const settings = readSettings(campaign?.settings ?? '{}');
    const redact = settings.redaction;
    if (!settings.recording) return { record: false, askConsent: false, redact, why: 'the campaign does not record calls' };
    if (!input.disclosure) return { record: false, askConsent: false, redact, why: 'the opening has no disclosure, so the caller is never told the call may be recorded' };
    const contact = input.contactId ? await this.deps.db.selectFrom('contacts').select('custom').where('id', '=', input.contactId).executeTakeFirst() : undefined;
    const consent = consentRequirement({ mode: settings.recordingConsent, phoneE164: input.phoneE164, state: stateOf(contact?.custom) });
    return { record: true, askConsent: consent.ask, redact, why: consent.why };
  }

  /** The recorder of one call; its rows and events go through `write`. */
  recorder(callId: string, policy: RecordingPolicy, write: CallWrite): CallRecorder {
    const { db, clock, logger, dataDir } = this.deps;
    const event = (kind: string, data: Record<string, unknown>) => write(kind, () => db.insertInto('call_events').values({ call_id: callId, at: clock.now(), kind, data: JSON.stringify(data) }).execute());
    let path = '';
    return new CallRecorder({
      pool: this.pool,
      dataDir,
      callId,
      policy: { needsConsent: policy.askConsent, redact: policy.redact },
      wallClock: () => clock.now(),
      output: {
        started: (row) => {
          path = row.path;
          write('recording started', () =>
            db.insertInto('call_recordings').values({ call_id: callId, path: row.path, format: 'ogg-opus', sample_rate: row.sampleRate, channels: row.channels, status: 'recording', started_at: row.startedAt, ended_at: null, duration_ms: null, bytes: null, sha256: null }).execute(),
          );
          event('recording.started', { path: row.path, sampleRate: row.sampleRate });
        },
        closed: (summary) =>
          write('recording closed', () =>
            db.updateTable('call_recordings').set({ status: 'complete', ended_at: summary.endedAt, duration_ms: summary.durationMs, bytes: summary.bytes, sha256: summary.sha256 }).where('call_id', '=', callId).execute(),
          ),
        failed: (message) => {
          logger.warn({ callId, message }, 'recording failed; keeping what was written');
          write('recording failed', async () => {
            const found = await finaliseFromDisk(recordingPath(dataDir, path));
            const row = await db.selectFrom('call_recordings').select('started_at').where('call_id', '=', callId).executeTakeFirst();
            await db.updateTable('call_recordings').set({ status: 'recovered', ended_at: (row?.started_at ?? clock.now()) + found.durationMs, duration_ms: found.durationMs, bytes: found.bytes, sha256: found.sha256 }).where('call_id', '=', callId).execute();
          });
        },
        event,
      },
    });
  }

  /** Finalises recordings a crash left open (run once at startup, before any call). */
  recover(): Promise<number> {
    return recoverRecordings(this.deps);
  }

  /** Thread time spent encoding so far, all calls together. */
  get encoderBusyMs(): number {
    return this.pool.busyMs;
  }

  dispose(): Promise<void> {
    return this.pool.dispose();
  }
}

/** A contact's state, when an import mapped one into its custom fields ("state", any case). */
function stateOf(custom: string | undefined): string | null {
  if (!custom) return null;
  try {
    const fields = JSON.parse(custom) as Record<string, unknown>;
    for (const [key, value] of Object.entries(fields)) if (key.toLowerCase() === 'state' && typeof value === 'string') return value;
  } catch {
    // unreadable custom fields: no state known
  }
  return null;
}
