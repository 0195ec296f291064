import { statSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { stringify } from 'csv-stringify/sync';
import { ParleyError, roleAtLeast, type Actor, type CallsCursor, type CallsSort, type CallsFilter } from '../../contracts';
import type { AuditLog } from '../access/audit-log';
import type { Clock } from '../clock';
import { seesCampaign } from '../dispatch';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import { neutraliseFormula } from '../contacts/csv-export';
import { phoneHashKey } from '../storage/phone-hash';
import { CallPageReader } from './call-page';
import { CallsQuery, type CampaignScope } from './calls-query';
import { PersonErasure } from './erasure';
import { contentTypeOf, recordingFilePath } from './recording-files';
import { RetentionPurge } from './retention';
import { ReviewStore } from './review-store';

export interface ReviewDeps {
  sqlite: BetterSqlite3.Database;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  events: EventBus;
  dataDir: string;
}

type Filter = Omit<CallsFilter, 'runs'> & { runs: 'all' | 'real' | 'dry' };

const CSV_COLUMNS = ['call_id', 'created_at', 'campaign', 'contact', 'line', 'direction', 'outcome', 'duration_s', 'lead_score', 'dry_run', 'legal_hold', 'recording'];

/** Review of past calls: the list, the call page, notes and views, recordings, retention and erasure. */
export class ReviewService {
  readonly calls: CallsQuery;
  readonly pages: CallPageReader;
  readonly store: ReviewStore;
  readonly retention: RetentionPurge;
  readonly erasure: PersonErasure;
  private readonly recordingRow: BetterSqlite3.Statement;

  constructor(private readonly deps: ReviewDeps) {
    this.calls = new CallsQuery(deps.sqlite);
    this.pages = new CallPageReader(deps.sqlite);
    this.store = new ReviewStore(deps);
    this.retention = new RetentionPurge(deps);
    this.erasure = new PersonErasure({ ...deps, phoneHashKey: phoneHashKey(deps.dataDir) });
    this.recordingRow = deps.sqlite.prepare(
      `select r.path, r.format, c.campaign_id from call_recordings r join calls c on c.id = r.call_id where r.call_id = ? and r.status != 'purged'`,
    );
  }

  /** Managers and admins see every campaign's calls; anyone else only their assigned campaigns. */
  scopeOf(actor: Actor): CampaignScope {
    return roleAtLeast(actor.role, 'manager') ? null : actor.campaignIds;
  }

  exportPage(actor: Actor, options: { filter: Filter; sort: CallsSort; after?: CallsCursor | undefined; limit: number }): { csv: string; rows: number; next: CallsCursor | null } {
    const page = this.calls.page({ ...options, scope: this.scopeOf(actor) });
    const records = page.rows.map((r) =>
      [
        r.id,
        new Date(r.createdAt).toISOString(),
        r.campaignName ?? '',
        r.contactName ?? '',
        r.lineId ?? '',
        r.direction,
        r.outcome ?? '',
        r.durationMs === null ? '' : (r.durationMs / 1000).toFixed(1),
        r.score === null ? '' : r.score.toFixed(2),
        r.dryRun ? 'yes' : 'no',
        r.legalHold ? 'yes' : 'no',
        r.hasRecording ? 'yes' : 'no',
      ].map(neutraliseFormula),
    );
    const csv = stringify(options.after ? records : [CSV_COLUMNS, ...records]);
    return { csv, rows: records.length, next: page.next };
  }

  /** The file of a call's recording, if this user may hear it. Errors: not_found, forbidden. */
  recordingFor(actor: Actor, callId: string): { file: string; size: number; contentType: string; filename: string } {
    if (!roleAtLeast(actor.role, 'viewer')) throw new ParleyError('forbidden', 'Recordings need the viewer role');
    const row = this.recordingRow.get(callId) as { path: string; format: string; campaign_id: string | null } | undefined;
    if (!row) throw new ParleyError('not_found', 'This call has no recording');
    if (!seesCampaign(actor, row.campaign_id)) throw new ParleyError('forbidden', 'This campaign is not assigned to you');
    const file = recordingFilePath(this.deps.dataDir, row.path);
    if (!file) {
      this.deps.logger.warn({ callId }, 'recording file missing or outside the recordings folder');
      throw new ParleyError('not_found', 'The recording file is missing');
    }
    const extension = row.format === 'wav' ? 'wav' : row.format === 'flac' ? 'flac' : 'ogg';
    return { file, size: statSync(file).size, contentType: contentTypeOf(row.format), filename: `call-${callId}.${extension}` };
  }

  dispose(): void {
    this.retention.dispose();
  }
}
