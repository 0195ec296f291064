import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { ParleyError, SegmentFilter, type Contact, type Segment } from '../../contracts';
import type { Clock } from '../clock';
import type { SegmentsTable } from '../storage/dialer-tables';
import type { Database } from '../storage/schema';
import { toContact } from './contacts-repository';
import { onDncList, segmentCondition } from './segment-query';

/** Saved contact filters, always returned with their live counts. */
export class SegmentsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<Segment[]> {
    const rows = await this.db.selectFrom('segments').selectAll().where('deleted_at', 'is', null).orderBy('name').orderBy('id').execute();
    return Promise.all(rows.map((row) => this.withCounts(row)));
  }

  async get(id: string): Promise<Segment> {
    return this.withCounts(await this.row(id));
  }

  /** The stored filter of a live segment. */
  async filterOf(id: string): Promise<SegmentFilter> {
    return readFilter((await this.row(id)).filter);
  }

  async create(input: { name: string; filter: SegmentFilter }): Promise<Segment> {
    const now = this.clock.now();
    const row: Selectable<SegmentsTable> = {
      id: randomUUID(),
      name: input.name,
      filter: JSON.stringify(input.filter),
      created_at: now,
      updated_at: now,
      deleted_at: null,
    };
    await this.db.insertInto('segments').values(row).execute();
    return this.withCounts(row);
  }

  async update(id: string, patch: { name?: string | undefined; filter?: SegmentFilter | undefined }): Promise<Segment> {
    await this.row(id);
    const values: Partial<SegmentsTable> = { updated_at: this.clock.now() };
    if (patch.name !== undefined) values.name = patch.name;
    if (patch.filter !== undefined) values.filter = JSON.stringify(patch.filter);
    await this.db.updateTable('segments').set(values).where('id', '=', id).execute();
    return this.get(id);
  }

  async archive(id: string): Promise<void> {
    await this.row(id);
    await this.db.updateTable('segments').set({ deleted_at: this.clock.now() }).where('id', '=', id).execute();
  }

  async preview(filter: SegmentFilter, sampleSize: number): Promise<{ count: number; callable: number; sample: Contact[] }> {
    const [counts, sample] = await Promise.all([
      this.counts(filter),
      sampleSize === 0
        ? Promise.resolve([])
        : this.db
            .selectFrom('contacts as c')
            .selectAll('c')
            .select(onDncList.as('dnc'))
            .where(segmentCondition(filter, this.clock.now()))
            .orderBy('c.name')
            .orderBy('c.id')
            .limit(sampleSize)
            .execute(),
    ]);
    return { ...counts, sample: sample.map((row) => toContact(row as Parameters<typeof toContact>[0])) };
  }

  async counts(filter: SegmentFilter): Promise<{ count: number; callable: number }> {
    const row = await this.db
      .selectFrom('contacts as c')
      .select([
        (eb) => eb.fn.countAll<number>().as('count'),
        sql<number>`coalesce(sum(case when ${onDncList} then 0 else 1 end), 0)`.as('callable'),
      ])
      .where(segmentCondition(filter, this.clock.now()))
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), callable: Number(row.callable) };
  }

  private async row(id: string): Promise<Selectable<SegmentsTable>> {
    const row = await this.db.selectFrom('segments').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) throw new ParleyError('not_found', `No segment with id ${id}`);
    return row;
  }

  private async withCounts(row: Selectable<SegmentsTable>): Promise<Segment> {
    const filter = readFilter(row.filter);
    return {
      id: row.id,
      name: row.name,
      filter,
      ...(await this.counts(filter)),
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }
}

/** A stored filter; parts an older version wrote that no longer parse fall back to "any". */
function readFilter(json: string): SegmentFilter {
  let raw: unknown = {};
  try {
    raw = JSON.parse(json);
  } catch {
    // fall through to the empty filter
  }
  const parsed = SegmentFilter.safeParse(raw);
  return parsed.success ? parsed.data : SegmentFilter.parse({});
}
