import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Contacts' tags and call history, the do-not-call list, segments, campaign settings and lifecycle
 * history, and the dialer's queue and attempt log. The queue index is what keeps a dialer tick
 * cheap with 100k contacts: (campaign, state, zone, due time) answers "who is due now" by seeking.
 */
export const dialer: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('campaigns').addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}')).execute();
    await db.schema.alterTable('campaigns').addColumn('start_at', 'integer').execute();

    await db.schema.alterTable('contacts').addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    await db.schema.alterTable('contacts').addColumn('last_outcome', 'text').execute();
    await db.schema.alterTable('contacts').addColumn('last_attempt_at', 'integer').execute();
    await db.schema.alterTable('contacts').addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // No index on name: every import would pay for it row by row, and a name-sorted page of 100k
    // contacts sorts in well under a second without one.
    // Partial: imported contacts (never called) add nothing to it; "called within N days" still uses it.
    await db.schema
      .createIndex('contacts_last_attempt')
      .on('contacts')
      .column('last_attempt_at')
      .where(sql.ref('last_attempt_at'), 'is not', null)
      .execute();

    await db.schema
      .createTable('contact_tags')
      .addColumn('tag', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('contact_tags_pk', ['tag', 'contact_id'])
      .modifyEnd(sql`without rowid`)
      .execute();
    // (tag, contact_id) answers both "has tag" filters and, with the contact fixed, tag lookups; a
    // second index by contact alone would double the cost of every tagged import row.

    await db.schema
      .createTable('dnc_numbers')
      .addColumn('phone_e164', 'text', (c) => c.primaryKey())
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('call_id', 'text')
      .addColumn('added_at', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('segments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('filter', 'text', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('deleted_at', 'integer')
      .execute();

    await db.schema
      .createTable('campaign_transitions')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('at', 'integer', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
      .execute();
    await db.schema.createIndex('campaign_transitions_campaign').on('campaign_transitions').columns(['campaign_id', 'id']).execute();

    // One row per contact taken into a campaign: its place in the queue and where it stands.
    await db.schema
      .createTable('campaign_contacts')
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull()) // queued | dialing | done | dnc
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('variant', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_at', 'integer', (c) => c.notNull())
      .addColumn('last_outcome', 'text')
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('campaign_contacts_pk', ['campaign_id', 'contact_id'])
      .modifyEnd(sql`without rowid`)
      .execute();
    await db.schema
      .createIndex('campaign_contacts_due')
      .on('campaign_contacts')
      .columns(['campaign_id', 'state', 'timezone', 'next_at', 'seq'])
      .execute();
    await db.schema.createIndex('campaign_contacts_contact').on('campaign_contacts').column('contact_id').execute();
    // Live counters group a campaign's queue by state and last outcome: a covering scan of this index.
    await db.schema
      .createIndex('campaign_contacts_counters')
      .on('campaign_contacts')
      .columns(['campaign_id', 'state', 'last_outcome'])
      .execute();

    // Written before a call is placed, so a crash can never lead to a second dial of the same attempt.
    await db.schema
      .createTable('dial_attempts')
      .addColumn('id', 'text', (c) => c.primaryKey()) // the call id handed to the call launcher
      .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('phone_e164', 'text', (c) => c.notNull())
      .addColumn('variant', 'text')
      .addColumn('state', 'text', (c) => c.notNull()) // dialing | in-call | ended
      .addColumn('outcome', 'text')
      .addColumn('detail', 'text')
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('answered_at', 'integer')
      .addColumn('ended_at', 'integer')
      .execute();
    await db.schema.createIndex('dial_attempts_campaign').on('dial_attempts').columns(['campaign_id', 'state', 'outcome']).execute();
    await db.schema.createIndex('dial_attempts_contact').on('dial_attempts').columns(['contact_id', 'state']).execute();
    await db.schema.createIndex('dial_attempts_state').on('dial_attempts').column('state').execute();

    // Per-contact call context (template or model-written), cached per campaign.
    await db.schema
      .createTable('contact_contexts')
      .addColumn('campaign_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull()) // template | model
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_contexts_pk', ['campaign_id', 'contact_id'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['contact_contexts', 'dial_attempts', 'campaign_contacts', 'campaign_transitions', 'segments', 'dnc_numbers', 'contact_tags']) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
    }
    await sql`drop index if exists contacts_last_attempt`.execute(db);
    for (const column of ['tags', 'last_outcome', 'last_attempt_at', 'attempt_count']) {
      await db.schema.alterTable('contacts').dropColumn(column).execute();
    }
    await db.schema.alterTable('campaigns').dropColumn('settings').execute();
    await db.schema.alterTable('campaigns').dropColumn('start_at').execute();
  },
};
