import { openSync, closeSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type Actor, type ErasureReport } from '../../contracts';
import type { AuditLog } from '../access/audit-log';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import { phoneHash } from '../storage/phone-hash';
import { recordingFilePath, RECORDINGS_DIR } from './recording-files';

/**
 * Every table erasure touches, and how. A table added later that holds a person's data must be added
 * here; the erasure test scans every table in sqlite_master and fails until it is.
 *  - rows of the person's calls are deleted: call_events, transcript_turns (and the FTS index by trigger),
 *    call_voice, turn_emotions, call_analysis, call_costs, call_recordings (and their files), call_notes,
 *    retention_purges, dial_attempts; the calls themselves stay, without their contact, for the counts;
 *  - the contact's rows: contact_tags, campaign_contacts, contact_contexts, contacts;
 *  - outbox rows naming the contact, one of the calls, the number or the email (sent or not), and their delivery log;
 *  - dnc_numbers: the number's row is replaced by its one-way hash in dnc_hashes;
 *  - audit_log: earlier entries keep their place but the number, email and name become `[erased]`.
 */
export const ERASURE_TABLES = [
  'call_events',
  'transcript_turns',
  'call_voice',
  'turn_emotions',
  'call_analysis',
  'call_costs',
  'call_recordings',
  'call_notes',
  'retention_purges',
  'dial_attempts',
  'calls',
  'contact_tags',
  'campaign_contacts',
  'contact_contexts',
  'contacts',
  'outbox',
  'dnc_numbers',
  'dnc_hashes',
  'dnc_history',
  'contact_consents',
  'callbacks',
  'audit_log',
] as const;

const PER_CALL_TABLES = ['call_events', 'transcript_turns', 'call_voice', 'turn_emotions', 'call_analysis', 'call_costs', 'call_notes', 'retention_purges'] as const;
const PER_CONTACT_TABLES = ['contact_tags', 'campaign_contacts', 'contact_contexts', 'contact_consents', 'callbacks'] as const;
const ERASED = '[erased]';

interface Deps {
  sqlite: BetterSqlite3.Database;
  clock: Clock;
  logger: Logger;
  audit: AuditLog;
  dataDir: string;
  phoneHashKey: Buffer;
}

interface Person {
  id: string;
  name: string;
  phone_e164: string;
  email: string | null;
}

/** Right to erasure: removes a contact and everything stored about them, keeping only what the law asks to keep. */
export class PersonErasure {
  constructor(private readonly deps: Deps) {}

  preview(contactId: string): ErasureReport {
    const { sqlite } = this.deps;
    const person = this.person(contactId);
    const calls = this.callIds(person);
    const count = (text: string, ...params: unknown[]) => (sqlite.prepare(text).get(...params) as { n: number }).n;
    const perCall = (table: string) => calls.reduce((sum, id) => sum + count(`select count(*) as n from ${table} where call_id = ?`, id), 0);
    return {
      contacts: 1,
      calls: calls.length,
      transcriptTurns: perCall('transcript_turns'),
      recordings: perCall('call_recordings'),
      files: perCall('call_recordings'),
      analyses: perCall('call_analysis'),
      notes: perCall('call_notes'),
      outbox: this.outboxIds(person, calls).length,
      dncKeptAsHash: count('select count(*) as n from dnc_numbers where phone_e164 = ?', person.phone_e164) > 0,
    };
  }

  async erase(contactId: string, actor: Actor): Promise<ErasureReport> {
    const { sqlite, clock } = this.deps;
    const person = this.person(contactId);
    const calls = this.callIds(person);
    const files: string[] = [];
    const report: ErasureReport = { contacts: 0, calls: calls.length, transcriptTurns: 0, recordings: 0, files: 0, analyses: 0, notes: 0, outbox: 0, dncKeptAsHash: false };
    const hash = phoneHash(this.deps.phoneHashKey, person.phone_e164);
    // Deleted content is overwritten, not just unlinked from the b-tree, for this connection's writes.
    sqlite.pragma('secure_delete = on');
    try {
      sqlite.transaction(() => {
        for (const callId of calls) {
          const recording = sqlite.prepare('select path from call_recordings where call_id = ?').get(callId) as { path: string } | undefined;
          if (recording) files.push(recording.path);
          report.recordings += sqlite.prepare('delete from call_recordings where call_id = ?').run(callId).changes;
          for (const table of PER_CALL_TABLES) {
            const removed = sqlite.prepare(`delete from ${table} where call_id = ?`).run(callId).changes;
            if (table === 'transcript_turns') report.transcriptTurns += removed;
            if (table === 'call_analysis') report.analyses += removed;
            if (table === 'call_notes') report.notes += removed;
          }
          sqlite.prepare('delete from dial_attempts where id = ?').run(callId);
          sqlite.prepare('update calls set contact_id = null where id = ?').run(callId);
        }
        sqlite.prepare('delete from dial_attempts where contact_id = ? or phone_e164 = ?').run(person.id, person.phone_e164);
        for (const id of this.outboxIds(person, calls)) {
          report.outbox += sqlite.prepare('delete from outbox where id = ?').run(id).changes;
          sqlite.prepare('delete from delivery_log where outbox_id = ?').run(id);
        }
        for (const table of PER_CONTACT_TABLES) sqlite.prepare(`delete from ${table} where contact_id = ?`).run(person.id);
        report.contacts = sqlite.prepare('delete from contacts where id = ?').run(person.id).changes;
        if (sqlite.prepare('delete from dnc_numbers where phone_e164 = ?').run(person.phone_e164).changes > 0) {
          sqlite.prepare(`insert or ignore into dnc_hashes (phone_hash, reason, added_at) values (?, 'erased person', ?)`).run(hash, clock.now());
          report.dncKeptAsHash = true;
        }
        // The number's do-not-call history stays as evidence, under the hash instead of the number.
        sqlite.prepare('update dnc_history set phone_e164 = ? where phone_e164 = ?').run(`hash:${hash}`, person.phone_e164);
        this.scrubAuditLog(person);
      })();
    } finally {
      sqlite.pragma('secure_delete = fast');
    }
    for (const path of files) {
      const file = recordingFilePath(this.deps.dataDir, path);
      if (file) {
        await rm(file, { force: true });
        report.files += 1;
      }
    }
    // Old page images of the deleted rows live on in the write-ahead log until a checkpoint.
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    this.scrubFiles(person);
    this.deps.audit.record(actor, 'erase', `contact:${person.id}`, { phoneHash: hash.slice(0, 16), ...report });
    this.deps.logger.info({ contactId: person.id, calls: report.calls }, 'person erased');
    return report;
  }

  private person(contactId: string): Person {
    const person = this.deps.sqlite.prepare('select id, name, phone_e164, email from contacts where id = ?').get(contactId) as Person | undefined;
    if (!person) throw new ParleyError('not_found', 'No such contact');
    return person;
  }

  private callIds(person: Person): string[] {
    const rows = this.deps.sqlite
      .prepare('select id from calls where contact_id = ? union select id from dial_attempts where contact_id = ? or phone_e164 = ?')
      .all(person.id, person.id, person.phone_e164) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  private outboxIds(person: Person, calls: string[]): string[] {
    const needles = [person.id, person.phone_e164, ...(person.email ? [person.email] : []), ...calls];
    const rows = this.deps.sqlite.prepare('select id, payload, idempotency_key from outbox').iterate() as IterableIterator<{ id: string; payload: string; idempotency_key: string }>;
    const ids: string[] = [];
    for (const row of rows) if (needles.some((n) => row.payload.includes(n) || row.idempotency_key.includes(n))) ids.push(row.id);
    return ids;
  }

  /** The audit log is append-only (triggers); erasure alone lifts that, inside its transaction, to blank the person out. */
  private scrubAuditLog(person: Person): void {
    const { sqlite } = this.deps;
    const needles = this.needles(person);
    const rows = sqlite.prepare('select seq, target, detail from audit_log').all() as Array<{ seq: number; target: string; detail: string }>;
    const hits = rows.filter((r) => needles.some((n) => r.target.includes(n) || r.detail.includes(n)));
    if (hits.length === 0) return;
    const trigger = (sqlite.prepare(`select sql from sqlite_master where type = 'trigger' and name = 'audit_log_no_update'`).get() as { sql: string } | undefined)?.sql;
    if (trigger) sqlite.exec('drop trigger audit_log_no_update');
    const update = sqlite.prepare('update audit_log set target = ?, detail = ? where seq = ?');
    for (const row of hits) update.run(blank(row.target, needles), blank(row.detail, needles), row.seq);
    if (trigger) sqlite.exec(trigger);
  }

  /** Logs and any other file in the data folder: the person's details are overwritten in place (same length). */
  private scrubFiles(person: Person): void {
    const needles = this.needles(person).map((n) => Buffer.from(n));
    const skip = new Set(['parley.db', 'parley.db-wal', 'parley.db-shm']);
    const walk = (dir: string) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        const rel = relative(this.deps.dataDir, path);
        if (entry.isDirectory()) {
          if (rel !== 'models' && rel !== RECORDINGS_DIR) walk(path);
        } else if (entry.isFile() && !skip.has(rel) && statSync(path).size < 256 * 1024 * 1024) {
          scrubFile(path, needles);
        }
      }
    };
    walk(this.deps.dataDir);
  }

  private needles(person: Person): string[] {
    return [person.phone_e164, person.phone_e164.replace(/^\+/, ''), person.email, person.name].filter((n): n is string => typeof n === 'string' && n.trim().length >= 3);
  }
}

function blank(text: string, needles: string[]): string {
  let out = text;
  for (const needle of needles) out = out.split(needle).join(ERASED);
  return out;
}

function scrubFile(path: string, needles: Buffer[]): void {
  const content = readFileSync(path);
  let fd: number | undefined;
  try {
    for (const needle of needles) {
      for (let at = content.indexOf(needle); at !== -1; at = content.indexOf(needle, at + needle.length)) {
        fd ??= openSync(path, 'r+');
        writeSync(fd, Buffer.alloc(needle.length, '*'), 0, needle.length, at);
      }
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
