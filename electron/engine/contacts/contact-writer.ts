import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../clock';
import { orderedId } from './ordered-id';
import type { DraftContact } from './row-mapper';

interface ExistingRow {
  id: string;
  name: string;
  email: string | null;
  company: string | null;
  timezone: string | null;
  timezone_inferred: number;
  tags: string;
  custom: string;
}

/**
 * Writes imported contacts in batches, one transaction per batch, with prepared statements (the
 * import hot path). A number already in the store is updated: new non-empty values win, tags and
 * custom fields are merged, and a time zone someone wrote down is never replaced by a guess.
 */
export class ContactWriter {
  private readonly find: BetterSqlite3.Statement<[string], ExistingRow>;
  private readonly insert: BetterSqlite3.Statement;
  private readonly update: BetterSqlite3.Statement;
  private readonly tag: BetterSqlite3.Statement;
  private readonly consent: BetterSqlite3.Statement;
  private readonly writeBatch: (batch: DraftContact[]) => { imported: number; updated: number };

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly clock: Clock,
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
      `update contacts set name = @name, email = @email, timezone = @timezone, timezone_inferred = @inferred,
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
      let imported = 0;
      let updated = 0;
      for (const draft of batch) {
        const id = orderedId(now);
        const tags = JSON.stringify(draft.tags);
        const inserted = this.insert.run(
          id,
          draft.name,
          draft.e164,
          draft.email,
          draft.timezone,
          draft.timezoneInferred ? 1 : 0,
          draft.company,
          JSON.stringify(draft.custom),
          tags,
          now,
          now,
        ).changes;
        if (inserted === 1) {
          for (const tag of draft.tags) this.tag.run(tag, id);
          imported++;
        } else {
          this.merge(this.find.get(draft.e164)!, draft, now);
          updated++;
        }
        if (draft.consent) this.consent.run({ ...draft.consent, now, phone: draft.e164 });
      }
      return { imported, updated };
    });
  }

  write(batch: DraftContact[]): { imported: number; updated: number } {
    return batch.length === 0 ? { imported: 0, updated: 0 } : this.writeBatch(batch);
  }

  private merge(existing: ExistingRow, draft: DraftContact, now: number): void {
    const keepWrittenZone = existing.timezone !== null && existing.timezone_inferred === 0 && draft.timezoneInferred;
    const tags = [...new Set([...(JSON.parse(existing.tags) as string[]), ...draft.tags])];
    this.update.run({
      id: existing.id,
      name: draft.name || existing.name,
      email: draft.email ?? existing.email,
      company: draft.company ?? existing.company,
      timezone: keepWrittenZone ? existing.timezone : (draft.timezone ?? existing.timezone),
      inferred: keepWrittenZone ? 0 : draft.timezone ? (draft.timezoneInferred ? 1 : 0) : existing.timezone_inferred,
      custom: JSON.stringify({ ...(JSON.parse(existing.custom) as Record<string, string>), ...draft.custom }),
      tags: JSON.stringify(tags),
      now,
    });
    for (const tag of draft.tags) this.tag.run(tag, existing.id);
  }
}

/** Numbers for the do-not-call list; a number already on it is counted, not changed. */
export class DncWriter {
  private readonly insert: BetterSqlite3.Statement;
  private readonly writeBatch: (batch: string[]) => { added: number; already: number };

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly clock: Clock,
    reason: string,
  ) {
    this.insert = sqlite.prepare(
      "insert or ignore into dnc_numbers (phone_e164, reason, source, call_id, added_at) values (?, ?, 'import', null, ?)",
    );
    this.writeBatch = sqlite.transaction((batch: string[]) => {
      const now = this.clock.now();
      let added = 0;
      for (const phone of batch) added += this.insert.run(phone, reason, now).changes;
      return { added, already: batch.length - added };
    });
  }

  write(batch: string[]): { added: number; already: number } {
    return batch.length === 0 ? { added: 0, already: 0 } : this.writeBatch(batch);
  }
}
