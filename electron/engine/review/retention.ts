import { rm } from 'node:fs/promises';
import type BetterSqlite3 from 'better-sqlite3';
import type { PurgeReport } from '../../contracts';
import type { AuditLog, AuditWho } from '../access/audit-log';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import { readSettings } from '../storage/campaign-settings-store';
import { recordingFilePath } from './recording-files';

const DAY_MS = 86_400_000;
const LAST_PURGE_KEY = 'retention.lastPurgeAt';
/** Calls handled per transaction, so a large purge never holds the database (or the event loop) for long. */
const BATCH = 200;

interface Deps {
  sqlite: BetterSqlite3.Database;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  events: EventBus;
  dataDir: string;
}

/**
 * Per-campaign retention: deletes recordings (file and row) and transcripts (turns; the search index
 * follows by trigger) of calls older than the campaign keeps them, except calls on legal hold. Each
 * removal is written to `retention_purges`, and each run to the audit log.
 */
export class RetentionPurge {
  private running: Promise<PurgeReport> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: Deps) {}

  /** Checks hourly (on the engine's clock) whether a day has passed since the last purge, and purges. */
  schedule(everyMs = 3_600_000): void {
    if (this.timer) return;
    const check = () => {
      const last = this.lastPurgeAt();
      if (last === null || this.deps.clock.now() - last >= DAY_MS) {
        this.purge().catch((error: unknown) => this.deps.logger.error({ err: error }, 'retention purge failed'));
      }
    };
    this.timer = setInterval(check, everyMs);
    this.timer.unref();
    setImmediate(check);
  }

  lastPurgeAt(): number | null {
    const row = this.deps.sqlite.prepare('select value from settings where key = ?').get(LAST_PURGE_KEY) as { value: string } | undefined;
    return row ? Number(JSON.parse(row.value)) : null;
  }

  /** Runs the purge now; `by` is the admin who asked (the daily run records "system"). */
  purge(by: AuditWho = { username: 'system', origin: 'retention' }): Promise<PurgeReport> {
    this.running ??= this.run(by).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(by: AuditWho): Promise<PurgeReport> {
    const { sqlite, clock } = this.deps;
    const now = clock.now();
    const report: PurgeReport = { at: now, recordings: 0, transcripts: 0, bytes: 0, held: 0 };
    const campaigns = sqlite.prepare('select id, settings from campaigns').all() as Array<{ id: string; settings: string }>;
    for (const campaign of campaigns) {
      const settings = readSettings(campaign.settings);
      if (settings.recordingRetentionDays !== null) await this.purgeRecordings(campaign.id, now - settings.recordingRetentionDays * DAY_MS, report);
      if (settings.transcriptRetentionDays !== null) await this.purgeTranscripts(campaign.id, now - settings.transcriptRetentionDays * DAY_MS, report);
    }
    sqlite
      .prepare('insert into settings (key, value, updated_at) values (?, ?, ?) on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at')
      .run(LAST_PURGE_KEY, JSON.stringify(now), now);
    this.deps.audit.record(by, 'retention.purge', 'calls', { ...report });
    this.deps.logger.info({ ...report }, 'retention purge done');
    this.deps.events.emit('retention.purged', report);
    return report;
  }

  private async purgeRecordings(campaignId: string, cutoff: number, report: PurgeReport): Promise<void> {
    const { sqlite, clock } = this.deps;
    const select = sqlite.prepare(
      `select r.call_id, r.path, r.bytes from call_recordings r join calls c on c.id = r.call_id
       where c.campaign_id = ? and coalesce(c.ended_at, c.created_at) < ? and c.legal_hold = 0 and r.status not in ('recording', 'purged') limit ${BATCH}`,
    );
    report.held += (sqlite
      .prepare(`select count(*) as n from call_recordings r join calls c on c.id = r.call_id where c.campaign_id = ? and coalesce(c.ended_at, c.created_at) < ? and c.legal_hold = 1`)
      .get(campaignId, cutoff) as { n: number }).n;
    const remove = sqlite.prepare('delete from call_recordings where call_id = ?');
    const log = sqlite.prepare(`insert into retention_purges (at, call_id, campaign_id, kind, detail) values (?, ?, ?, 'recording', ?)`);
    for (;;) {
      const batch = select.all(campaignId, cutoff) as Array<{ call_id: string; path: string; bytes: number | null }>;
      if (batch.length === 0) return;
      for (const row of batch) {
        const file = recordingFilePath(this.deps.dataDir, row.path);
        if (file) await rm(file, { force: true });
      }
      sqlite.transaction(() => {
        for (const row of batch) {
          remove.run(row.call_id);
          log.run(clock.now(), row.call_id, campaignId, JSON.stringify({ file: row.path, bytes: row.bytes }));
          report.recordings += 1;
          report.bytes += row.bytes ?? 0;
        }
      })();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async purgeTranscripts(campaignId: string, cutoff: number, report: PurgeReport): Promise<void> {
    const { sqlite, clock } = this.deps;
    const candidates = `from calls c where c.campaign_id = ? and coalesce(c.ended_at, c.created_at) < ? and exists (select 1 from transcript_turns t where t.call_id = c.id)`;
    const select = sqlite.prepare(`select c.id ${candidates} and c.legal_hold = 0 limit ${BATCH}`);
    report.held += (sqlite.prepare(`select count(*) as n ${candidates} and c.legal_hold = 1`).get(campaignId, cutoff) as { n: number }).n;
    const remove = sqlite.prepare('delete from transcript_turns where call_id = ?');
    // Backchannels ("uh-huh", "right") are the caller's words too.
    const removeWords = sqlite.prepare(`delete from call_events where call_id = ? and kind = 'caller.backchannel'`);
    const log = sqlite.prepare(`insert into retention_purges (at, call_id, campaign_id, kind, detail) values (?, ?, ?, 'transcript', ?)`);
    for (;;) {
      const batch = select.all(campaignId, cutoff) as Array<{ id: string }>;
      if (batch.length === 0) return;
      sqlite.transaction(() => {
        for (const { id } of batch) {
          const turns = remove.run(id).changes;
          removeWords.run(id);
          log.run(clock.now(), id, campaignId, JSON.stringify({ turns }));
          report.transcripts += 1;
        }
      })();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
