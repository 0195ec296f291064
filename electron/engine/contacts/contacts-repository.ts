import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool } from 'kysely';
import { AttemptOutcome, isTimeZone, ParleyError, type Contact, type ContactPatch, type SegmentFilter } from '../../contracts';
import type { Clock } from '../clock';
import type { ContactsTable, Database } from '../storage/schema';
import { onDncList, searchCondition, segmentCondition } from './segment-query';

type ContactRow = Selectable<ContactsTable> & { dnc: number };

/** Contacts in and out of SQLite (bulk writes go through ContactWriter instead). */
export class ContactsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private base() {
    return this.db.selectFrom('contacts as c').selectAll('c').select(onDncList.as('dnc'));
  }

  async list(query: { search: string; filter?: SegmentFilter | undefined; offset: number; limit: number }): Promise<{ total: number; offset: number; contacts: Contact[] }> {
    const now = this.clock.now();
    let where: RawBuilder<SqlBool> = sql<SqlBool>`1 = 1`;
    if (query.filter) where = segmentCondition(query.filter, now);
    if (query.search) where = sql<SqlBool>`(${where} and ${searchCondition(query.search)})`;
    const [count, rows] = await Promise.all([
      this.db.selectFrom('contacts as c').select((eb) => eb.fn.countAll<number>().as('n')).where(where).executeTakeFirstOrThrow(),
      // Import order (rowid): any page of 100k contacts is a cheap walk of the table, no sort.
      this.base().where(where).orderBy(sql`c.rowid`).offset(query.offset).limit(query.limit).execute(),
    ]);
    return { total: Number(count.n), offset: query.offset, contacts: (rows as ContactRow[]).map(toContact) };
  }

  async get(id: string): Promise<Contact> {
    const row = await this.base().where('c.id', '=', id).executeTakeFirst();
    if (!row) throw new ParleyError('not_found', `No contact with id ${id}`);
    return toContact(row as ContactRow);
  }

  async update(id: string, patch: ContactPatch): Promise<Contact> {
    const existing = await this.get(id);
    if (patch.timezone && !isTimeZone(patch.timezone)) {
      throw new ParleyError('invalid_payload', `Unknown time zone ${JSON.stringify(patch.timezone)}`, [
        { path: 'patch.timezone', message: 'Unknown time zone; use an IANA name such as America/Chicago' },
      ]);
    }
    const values: Partial<ContactsTable> = { updated_at: this.clock.now() };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.email !== undefined) values.email = patch.email || null;
    if (patch.company !== undefined) values.company = patch.company || null;
    if (patch.timezone !== undefined) {
      values.timezone = patch.timezone || null;
      values.timezone_inferred = 0;
    }
    if (patch.custom !== undefined) values.custom = JSON.stringify(patch.custom);
    if (patch.tags !== undefined) values.tags = JSON.stringify([...new Set(patch.tags)]);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('contacts').set(values).where('id', '=', id).execute();
      if (patch.tags !== undefined) {
        await trx.deleteFrom('contact_tags').where('contact_id', '=', id).execute();
        const tags = [...new Set(patch.tags)];
        if (tags.length > 0) await trx.insertInto('contact_tags').values(tags.map((tag) => ({ tag, contact_id: id }))).execute();
      }
    });
    return this.get(existing.id);
  }

  async fields(): Promise<{ tags: Array<{ tag: string; count: number }>; customFields: string[]; total: number }> {
    const [tags, custom, total] = await Promise.all([
      this.db
        .selectFrom('contact_tags')
        .select(['tag', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy('tag')
        .orderBy('tag')
        .limit(1_000)
        .execute(),
      sql<{ key: string }>`select distinct j.key as key from contacts c, json_each(c.custom) j order by 1 limit 500`.execute(this.db),
      this.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return {
      tags: tags.map((t) => ({ tag: t.tag, count: Number(t.count) })),
      customFields: custom.rows.map((r) => r.key),
      total: Number(total.n),
    };
  }
}

export function toContact(row: ContactRow): Contact {
  const outcome = AttemptOutcome.safeParse(row.last_outcome);
  return {
    id: row.id,
    name: row.name,
    phone: row.phone_e164,
    email: row.email,
    company: row.company,
    timezone: row.timezone,
    timezoneInferred: row.timezone_inferred === 1,
    tags: JSON.parse(row.tags) as string[],
    custom: JSON.parse(row.custom) as Record<string, string>,
    dnc: Boolean(row.dnc),
    lastOutcome: outcome.success ? outcome.data : null,
    lastContactedAt: row.last_attempt_at === null ? null : new Date(row.last_attempt_at).toISOString(),
    attemptCount: row.attempt_count,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
