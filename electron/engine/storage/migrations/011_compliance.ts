import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Consent records per contact, admin overrides of the legal-hours check, and the trigger that
 * carries a contact's time-zone correction into every campaign queue at once (the queue keeps its
 * own copy of the zone for its index: a correction used to miss queued and scheduled calls).
 */
export const compliance: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('contact_consents')
      .addColumn('contact_id', 'text', (c) => c.primaryKey().references('contacts.id').onDelete('cascade'))
      .addColumn('kind', 'text', (c) => c.notNull()) // 'prior-express-written' | 'prior-express' | 'none'
      .addColumn('source', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('obtained_at', 'text') // YYYY-MM-DD
      .addColumn('evidence', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('existing_relationship', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('revoked_at', 'integer')
      .addColumn('revoked_how', 'text')
      .addColumn('revoked_call_id', 'text')
      .addColumn('updated_at', 'integer', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('campaign_hours_overrides')
      .addColumn('campaign_id', 'text', (c) => c.primaryKey().references('campaigns.id'))
      .addColumn('calling_window', 'text', (c) => c.notNull()) // JSON CallingWindow the override was given for
      .addColumn('default_timezone', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('by_user', 'text', (c) => c.notNull())
      .addColumn('at', 'integer', (c) => c.notNull())
      .execute();

    // A corrected zone reaches the queue in the same statement that corrects it. A zone cleared
    // falls back to the campaign's default zone (as enrolment does).
    await sql`
      create trigger contacts_timezone_to_queue after update of timezone on contacts
      when new.timezone is not old.timezone
      begin
        update campaign_contacts
        set timezone = coalesce(
          new.timezone,
          (select json_extract(c.settings, '$.defaultTimezone') from campaigns c where c.id = campaign_contacts.campaign_id),
          timezone)
        where contact_id = new.id and state in ('queued', 'dialing');
      end`.execute(db);
  },
};
