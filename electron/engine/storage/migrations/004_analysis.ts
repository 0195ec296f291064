import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Per-turn emotion, post-call analysis, the CRM outbox, call costs, the campaign's disclosure and
 * emotion settings, and the indexes the analytics dashboard reads (over the dialer's attempts).
 */
export const analysis: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('turn_emotions')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('call_id', 'text', (c) => c.notNull().references('calls.id'))
      // Copied from the call so the dashboard's emotion distribution is one index range scan.
      .addColumn('campaign_id', 'text')
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'integer', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('confidence', 'real', (c) => c.notNull())
      .addColumn('valence', 'real', (c) => c.notNull())
      .addColumn('arousal', 'real', (c) => c.notNull())
      .addColumn('text_reading', 'text', (c) => c.notNull()) // JSON TextEmotion
      .addColumn('voice', 'text') // JSON VoiceFeatures, null when no audio was read
      .addColumn('smoothed_label', 'text', (c) => c.notNull())
      .addColumn('smoothed_valence', 'real', (c) => c.notNull())
      .addColumn('smoothed_arousal', 'real', (c) => c.notNull())
      .addColumn('frustration', 'real', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('turn_emotions_call').unique().on('turn_emotions').columns(['call_id', 'seq']).execute();
    // Label before time: the emotion distribution is one short range count per label, no sorting.
    await db.schema.createIndex('turn_emotions_campaign').on('turn_emotions').columns(['campaign_id', 'label', 'at']).execute();

    await db.schema
      .createTable('call_analysis')
      .addColumn('call_id', 'text', (c) => c.primaryKey().references('calls.id'))
      .addColumn('campaign_id', 'text')
      .addColumn('contact_id', 'text')
      // The call's own creation time, so date filters need not join calls.
      .addColumn('call_created_at', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull()) // 'llm' | 'rules'
      .addColumn('model', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('answers', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('qualification', 'real', (c) => c.notNull())
      .addColumn('interest', 'text', (c) => c.notNull())
      .addColumn('budget', 'text', (c) => c.notNull()) // JSON {status, detail}
      .addColumn('timeline', 'text', (c) => c.notNull()) // JSON {horizon, detail}
      .addColumn('decision_maker', 'text', (c) => c.notNull())
      .addColumn('csat', 'real', (c) => c.notNull())
      .addColumn('next_action', 'text', (c) => c.notNull()) // JSON {kind, detail, dueAt}
      .addColumn('dominant_emotion', 'text')
      .addColumn('conversation', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('qualified', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('converted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('call_analysis_campaign')
      .on('call_analysis')
      .columns(['campaign_id', 'call_created_at', 'conversation', 'qualified', 'converted', 'csat', 'qualification'])
      .execute();
    await db.schema.createIndex('call_analysis_outcome').on('call_analysis').columns(['campaign_id', 'outcome', 'call_created_at']).execute();
    await db.schema.createIndex('call_analysis_contact').on('call_analysis').columns(['contact_id', 'created_at']).execute();

    // At-least-once delivery to the CRM: a row per thing to send, retried with backoff until sent.
    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('sent_at', 'integer')
      .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['sent_at', 'next_attempt_at']).execute();

    await db.schema
      .createTable('call_costs')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      // No foreign key: a carrier may charge for attempts that never became a call session.
      .addColumn('call_id', 'text', (c) => c.notNull())
      .addColumn('campaign_id', 'text')
      .addColumn('item', 'text', (c) => c.notNull()) // 'telephony' | 'llm' | 'stt' | 'tts' | ...
      .addColumn('amount_usd', 'real', (c) => c.notNull())
      .addColumn('created_at', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('call_costs_call').on('call_costs').column('call_id').execute();
    await db.schema.createIndex('call_costs_campaign').on('call_costs').columns(['campaign_id', 'created_at', 'amount_usd']).execute();

    // Covering indexes for the dashboard: funnel, best hours, A/B variants, attempts per contact.
    await db.schema
      .createIndex('dial_attempts_dashboard')
      .on('dial_attempts')
      .columns(['campaign_id', 'created_at', 'answered_at', 'outcome', 'variant'])
      .execute();
    // Latency percentiles read the newest `turn.latency` events of a campaign.
    await db.schema.createIndex('call_events_kind_at').on('call_events').columns(['kind', 'at']).execute();
    await db.schema.createIndex('dial_attempts_contact_count').on('dial_attempts').columns(['campaign_id', 'contact_id', 'created_at']).execute();

    await db.schema.alterTable('campaigns').addColumn('disclosure', 'integer', (c) => c.notNull().defaultTo(1)).execute();
    await db.schema.alterTable('campaigns').addColumn('emotion_settings', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const index of ['dial_attempts_dashboard', 'dial_attempts_contact_count', 'call_events_kind_at']) {
      await sql`drop index if exists ${sql.id(index)}`.execute(db);
    }
    await db.schema.alterTable('campaigns').dropColumn('emotion_settings').execute();
    await db.schema.alterTable('campaigns').dropColumn('disclosure').execute();
    for (const table of ['call_costs', 'outbox', 'call_analysis', 'turn_emotions']) {
      await sql`drop table if exists ${sql.table(table)}`.execute(db);
    }
  },
};
