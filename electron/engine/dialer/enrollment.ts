import { sql, type Kysely } from 'kysely';
import type { CampaignSettings, SegmentFilter } from '../../contracts';
import { onDncList, segmentCondition } from '../contacts/segment-query';
import type { Database } from '../storage/schema';

/**
 * Takes a campaign's audience into its queue in one INSERT ... SELECT (100k contacts in well under
 * a second): contacts of its segment (everyone without one) not yet in the queue, in import order,
 * up to the test limit. Each gets its zone (its own, else the campaign default), its A/B variant,
 * and state `dnc` when its number is on the do-not-call list. Returns how many were added.
 */
export async function enrollContacts(
  db: Kysely<Database>,
  campaign: { id: string; settings: CampaignSettings },
  filter: SegmentFilter | null,
  now: number,
): Promise<number> {
  const { settings } = campaign;
  const stats = await db
    .selectFrom('campaign_contacts')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('seq').as('maxSeq')])
    .where('campaign_id', '=', campaign.id)
    .executeTakeFirstOrThrow();
  const enrolled = Number(stats.n);
  const room = settings.testLimit === null ? -1 : Math.max(0, settings.testLimit - enrolled);
  if (room === 0) return 0;
  const maxSeq = Number(stats.maxSeq ?? 0);
  const audience = filter ? segmentCondition(filter, now) : sql`1 = 1`;

  const result = await sql`
    insert into campaign_contacts (campaign_id, contact_id, seq, state, timezone, variant, attempts, next_at, last_outcome, updated_at)
    select ${campaign.id}, picked.id, picked.seq, case when picked.dnc then 'dnc' else 'queued' end,
           coalesce(picked.timezone, ${settings.defaultTimezone}), ${variantExpression(settings, sql`picked.seq`)}, 0, ${now}, null, ${now}
    from (
      select c.id, c.timezone, ${onDncList} as dnc, ${maxSeq} + row_number() over (order by c.rowid) as seq
      from contacts c
      where ${audience}
        and not exists (select 1 from campaign_contacts x where x.campaign_id = ${campaign.id} and x.contact_id = c.id)
      order by c.rowid
      limit ${room}
    ) picked`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** The same spread as domain/variants.ts `variantFor`, in SQL, so a whole list is split in one statement. */
function variantExpression(settings: CampaignSettings, seq: ReturnType<typeof sql>) {
  const total = settings.variants.reduce((sum, v) => sum + v.weight, 0);
  if (settings.variants.length === 0 || total <= 0) return sql`null`;
  let edge = 0;
  const cases = settings.variants
    .filter((v) => v.weight > 0)
    .map((v) => {
      edge += v.weight;
      return sql`when ((${seq} * 2654435761) % 4294967296) % ${total} < ${edge} then ${v.name}`;
    });
  return sql`case ${sql.join(cases, sql` `)} else ${settings.variants.at(-1)!.name} end`;
}
