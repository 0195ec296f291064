import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type Consent, type ConsentInput, type ConsentKind } from '../../contracts';
import { ConsentInput as ConsentInputSchema } from '../../contracts';
import type { Clock } from '../clock';
import type { ContactConsentsTable } from '../storage/compliance-tables';
import { NO_CONSENT, type ConsentFacts } from './consent-rules';

/** Consent records, one per contact (the record is replaced on edit; revocation is kept until consent is given anew). */
export class ConsentStore {
  private readonly s: Record<'get' | 'upsert' | 'revoke' | 'revokeByPhone' | 'contactExists', BetterSqlite3.Statement>;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly clock: Clock,
  ) {
    this.s = {
      get: sqlite.prepare('select * from contact_consents where contact_id = ?'),
      contactExists: sqlite.prepare('select 1 from contacts where id = ?'),
      upsert: sqlite.prepare(
        `insert into contact_consents (contact_id, kind, source, obtained_at, evidence, existing_relationship, revoked_at, revoked_how, revoked_call_id, updated_at, updated_by)
         values (@contactId, @kind, @source, @obtainedOn, @evidence, @existing, null, null, null, @now, @by)
         on conflict (contact_id) do update set kind = excluded.kind, source = excluded.source, obtained_at = excluded.obtained_at,
           evidence = excluded.evidence, existing_relationship = excluded.existing_relationship,
           revoked_at = null, revoked_how = null, revoked_call_id = null, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      revoke: sqlite.prepare(
        `insert into contact_consents (contact_id, kind, revoked_at, revoked_how, revoked_call_id, updated_at, updated_by)
         values (@contactId, 'none', @now, @how, @callId, @now, @by)
         on conflict (contact_id) do update set revoked_at = excluded.revoked_at, revoked_how = excluded.revoked_how,
           revoked_call_id = excluded.revoked_call_id, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      revokeByPhone: sqlite.prepare(
        `insert into contact_consents (contact_id, kind, revoked_at, revoked_how, revoked_call_id, updated_at, updated_by)
         select id, 'none', @now, @how, @callId, @now, @by from contacts where phone_e164 = @phone
         on conflict (contact_id) do update set revoked_at = excluded.revoked_at, revoked_how = excluded.revoked_how,
           revoked_call_id = excluded.revoked_call_id, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
    };
  }

  get(contactId: string): Consent {
    this.requireContact(contactId);
    const row = this.s.get.get(contactId) as ContactConsentsTable | undefined;
    return row ? toConsent(row) : emptyConsent(contactId);
  }

  facts(contactId: string): ConsentFacts {
    const row = this.s.get.get(contactId) as ContactConsentsTable | undefined;
    return row ? { kind: row.kind as ConsentKind, existingRelationship: row.existing_relationship === 1, revoked: row.revoked_at !== null } : NO_CONSENT;
  }

  set(contactId: string, input: ConsentInput, by: string): Consent {
    this.requireContact(contactId);
    const consent = ConsentInputSchema.parse(input);
    this.s.upsert.run({
      contactId,
      kind: consent.kind,
      source: consent.source,
      obtainedOn: consent.obtainedOn,
      evidence: consent.evidence,
      existing: consent.existingRelationship ? 1 : 0,
      now: this.clock.now(),
      by,
    });
    return this.get(contactId);
  }

  /** A manager revokes consent by hand (the contact asked by mail, in person...). */
  revoke(contactId: string, reason: string, by: string): Consent {
    this.requireContact(contactId);
    this.s.revoke.run({ contactId, now: this.clock.now(), how: `Manual: ${reason}`, callId: null, by });
    return this.get(contactId);
  }

  /** The caller asked on a call not to be called again: every contact with that number loses consent. */
  revokeByCaller(phoneE164: string, callId: string, by: string): number {
    return this.s.revokeByPhone.run({ phone: phoneE164, now: this.clock.now(), how: `Caller asked on call ${callId}`, callId, by }).changes;
  }

  private requireContact(contactId: string): void {
    if (!this.s.contactExists.get(contactId)) throw new ParleyError('not_found', `No contact ${contactId}`);
  }
}

function emptyConsent(contactId: string): Consent {
  return { contactId, kind: 'none', source: '', obtainedOn: null, evidence: '', existingRelationship: false, revoked: null, updatedAt: null, updatedBy: null };
}

function toConsent(row: ContactConsentsTable): Consent {
  return {
    contactId: row.contact_id,
    kind: row.kind as ConsentKind,
    source: row.source,
    obtainedOn: row.obtained_at,
    evidence: row.evidence,
    existingRelationship: row.existing_relationship === 1,
    revoked: row.revoked_at === null ? null : { at: new Date(row.revoked_at).toISOString(), how: row.revoked_how ?? '', callId: row.revoked_call_id },
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}
