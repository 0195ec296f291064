import type BetterSqlite3 from 'better-sqlite3';
import type { MatchChoice } from '../../contracts';
import type { Clock } from '../clock';
import { mergeImported, type StoredContact } from './import-matching';
import { orderedId } from './ordered-id';
import type { DraftContact } from './row-mapper';

export interface Rename {
  contactId: string;
  phone: string;
  before: string;
  after: string;
}

export interface ContactBatchResult {
  imported: number;
  matched: number;
  updated: number;
  unchanged: number;
  renamed: Rename[];
}

/**
 * Writes imported contacts in batches, one transaction per batch, with prepared statements (the
 * import hot path). A number already in the store is merged as the import's choice says
 * (`import-matching.ts`); with `checkOnly` nothing is written and the same counts come back.
 */
export class ContactWriter {
  private readonly find: BetterSqlite3.Statement<[string], StoredContact>;
  private readonly insert: BetterSqlite3.Statement;
  private readonly update: BetterSqlite3.Statement;
  private readonly tag: BetterSqlite3.Statement;
  private readonly consent: BetterSqlite3.Statement;
  private readonly writeBatch: (batch: DraftContact[]) => ContactBatchResult;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly clock: Clock,
    private readonly choice: { onMatch: MatchChoice; checkOnly: boolean },
  ) {
    this.find = sqlite.prepare(
      'select id, name, email, company, timezone, timezone_inferred, tags, custom from contacts where phone_e164 = ?',
    );
    // A new number inserts in one statement; only a number already stored costs a lookup and a merge.
    this.insert = sqlite.prepare(
      `insert into contacts (id, name, phone_e164, email, timezone, timezone_inferred, company, custom, tags, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (phone_e164) do nothing`,
    );
    this.update = sqlite.prepare(
      `update contacts set name = @name, email = @email, timezone = @timezone, timezone_inferred = @timezone_inferred,
       company = @company, custom = @custom, tags = @tags, updated_at = @now where id = @id`,
    );
    this.tag = sqlite.prepare('insert or ignore into contact_tags (tag, contact_id) values (?, ?)');
    // A file's consent replaces the record, but never lifts a revocation (only the contact page does).
    this.consent = sqlite.prepare(
      `insert into contact_consents (contact_id, kind, source, obtained_at, evidence, updated_at, updated_by)
       select id, @kind, @source, @obtainedOn, @evidence, @now, 'import' from contacts where phone_e164 = @phone
       on conflict (contact_id) do update set kind = excluded.kind, source = excluded.source, obtained_at = excluded.obtained_at,
         evidence = excluded.evidence, updated_at = excluded.updated_at, updated_by = excluded.updated_by
       where contact_consents.revoked_at is null`,
    );
    this.writeBatch = sqlite.transaction((batch: DraftContact[]) => {
      const now = this.clock.now();
      const result: ContactBatchResult = { imported: 0, matched: 0, updated: 0, unchanged: 0, renamed: [] };
      for (const draft of batch) {
        if (this.choice.checkOnly) {
          const existing = this.find.get(draft.e164);
          if (existing) this.merge(existing, draft, now, result);
          else result.imported++;
          continue;
        }
        const id = orderedId(now);
        const inserted = this.insert.run(
          id,
          draft.name,
          draft.e164,
          draft.email,
          draft.timezone,
          draft.timezoneInferred ? 1 : 0,
          draft.company,
          JSON.stringify(draft.custom),
          JSON.stringify(draft.tags),
          now,
          now,
        ).changes;
        if (inserted === 1) {
          for (const tag of draft.tags) this.tag.run(tag, id);
          result.imported++;
        } else {
          this.merge(this.find.get(draft.e164)!, draft, now, result);
        }
        if (draft.consent) this.consent.run({ ...draft.consent, now, phone: draft.e164 });
      }
      return result;
    });
  }

  write(batch: DraftContact[]): ContactBatchResult {
    return batch.length === 0 ? { imported: 0, matched: 0, updated: 0, unchanged: 0, renamed: [] } : this.writeBatch(batch);
  }

  private merge(existing: StoredContact, draft: DraftContact, now: number, result: ContactBatchResult): void {
    result.matched++;
    const merged = mergeImported(existing, draft, this.choice.onMatch);
    if (!merged) {
      result.unchanged++;
      return;
    }
    result.updated++;
    if (merged.name !== existing.name) result.renamed.push({ contactId: existing.id, phone: draft.e164, before: existing.name, after: merged.name });
    if (this.choice.checkOnly) return;
    this.update.run({ ...merged, id: existing.id, now });
    for (const tag of draft.tags) this.tag.run(tag, existing.id);
  }
}

/**
 * Numbers for the do-not-call list; a number already on it is counted, not changed. Each number
 * added gets its history row ("import <file>") in the same transaction.
 */
export class DncWriter {
  private readonly insert: BetterSqlite3.Statement;
  private readonly history: BetterSqlite3.Statement;
  private readonly exists: BetterSqlite3.Statement<[string], { one: number }>;
  private readonly writeBatch: (batch: string[]) => { added: number; already: number };

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly clock: Clock,
    source: { fileName: string; listName: string; checkOnly: boolean },
  ) {
    const reason = source.listName ? `${source.listName} (${source.fileName})` : `Imported from ${source.fileName}`;
    const actor = `import ${source.fileName}`;
    this.insert = sqlite.prepare(
      "insert or ignore into dnc_numbers (phone_e164, reason, source, call_id, added_at) values (?, ?, 'import', null, ?)",
    );
    this.history = sqlite.prepare(
      "insert into dnc_history (phone_e164, action, actor, reason, source, call_id, at) values (?, 'add', ?, ?, 'import', null, ?)",
    );
    this.exists = sqlite.prepare('select 1 as one from dnc_numbers where phone_e164 = ?');
    this.writeBatch = sqlite.transaction((batch: string[]) => {
      const now = this.clock.now();
      let added = 0;
      for (const phone of batch) {
        if (source.checkOnly) {
          if (!this.exists.get(phone)) added++;
          continue;
        }
        if (this.insert.run(phone, reason, now).changes === 1) {
          this.history.run(phone, actor, reason, now);
          added++;
        }
      }
      return { added, already: batch.length - added };
    });
  }

  write(batch: string[]): { added: number; already: number } {
    return batch.length === 0 ? { added: 0, already: 0 } : this.writeBatch(batch);
  }
}
