import { useEffect, useState } from 'react';
import type { Consent, ConsentKind } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

const KINDS: Array<[ConsentKind, string]> = [
  ['prior-express-written', 'Prior express written consent'],
  ['prior-express', 'Prior express consent'],
  ['none', 'None on record'],
];

/** A contact's consent to be called: kind, source, date, evidence, revocation; editable by managers. */
export function ContactConsent({ contactId }: { contactId: string }) {
  const client = useClient();
  const [consent, setConsent] = useState<Consent>();
  const [draft, setDraft] = useState<{ kind: ConsentKind; source: string; obtainedOn: string; evidence: string; existingRelationship: boolean }>();
  const [revokeReason, setRevokeReason] = useState<string>();
  const [message, setMessage] = useState<string>();

  useEffect(() => {
    setConsent(undefined);
    setDraft(undefined);
    client
      .call('contacts.consent', { contactId })
      .then(setConsent)
      .catch((e: Error) => setMessage(e.message));
  }, [client, contactId]);

  const run = async (action: () => Promise<Consent>) => {
    setMessage(undefined);
    try {
      setConsent(await action());
      setDraft(undefined);
      setRevokeReason(undefined);
    } catch (error) {
      setMessage((error as Error).message);
    }
  };

  if (!consent) return message ? <p className="field-error">{message}</p> : null;
  const label = KINDS.find(([k]) => k === consent.kind)?.[1] ?? consent.kind;
  return (
    <section className="contact-consent" data-testid="contact-consent" aria-label="Consent">
      <h4>Consent to be called</h4>
      {!draft && (
        <>
          <p data-testid="consent-kind">
            {label}
            {consent.existingRelationship && ' · existing customer'}
          </p>
          {consent.source && <p className="muted small">Source: {consent.source}{consent.obtainedOn && `, ${consent.obtainedOn}`}</p>}
          {consent.evidence && <p className="muted small">Evidence: {consent.evidence}</p>}
          {consent.revoked && (
            <p className="field-error" data-testid="consent-revoked">
              Revoked {new Date(consent.revoked.at).toLocaleString()}: {consent.revoked.how}
            </p>
          )}
          <div className="row">
            <button
              type="button"
              onClick={() => setDraft({ kind: consent.kind, source: consent.source, obtainedOn: consent.obtainedOn ?? '', evidence: consent.evidence, existingRelationship: consent.existingRelationship })}
              data-testid="consent-edit"
            >
              Edit consent
            </button>
            {!consent.revoked && consent.kind !== 'none' && revokeReason === undefined && (
              <button type="button" className="danger" onClick={() => setRevokeReason('')} data-testid="consent-revoke">
                Revoke…
              </button>
            )}
          </div>
          {revokeReason !== undefined && (
            <div className="row">
              <input value={revokeReason} onChange={(e) => setRevokeReason(e.target.value)} placeholder="Why (e.g. asked by email)" aria-label="Reason for revoking" data-testid="consent-revoke-reason" />
              <button type="button" className="danger" disabled={!revokeReason.trim()} onClick={() => void run(() => client.call('contacts.revokeConsent', { contactId, reason: revokeReason }))} data-testid="consent-revoke-confirm">
                Revoke consent
              </button>
              <button type="button" className="ghost" onClick={() => setRevokeReason(undefined)}>
                Cancel
              </button>
            </div>
          )}
        </>
      )}
      {draft && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => client.call('contacts.setConsent', { contactId, consent: { ...draft, obtainedOn: draft.obtainedOn || null } }));
          }}
        >
          <label>
            Kind
            <select value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as ConsentKind })} data-testid="consent-kind-input">
              {KINDS.map(([k, text]) => (
                <option key={k} value={k}>
                  {text}
                </option>
              ))}
            </select>
          </label>
          <label>
            Source
            <input value={draft.source} onChange={(e) => setDraft({ ...draft, source: e.target.value })} placeholder="Web form, signed paper, call recording…" data-testid="consent-source" />
          </label>
          <label>
            Given on
            <input type="date" value={draft.obtainedOn} onChange={(e) => setDraft({ ...draft, obtainedOn: e.target.value })} data-testid="consent-date" />
          </label>
          <label>
            Evidence (text or link)
            <textarea value={draft.evidence} onChange={(e) => setDraft({ ...draft, evidence: e.target.value })} rows={2} data-testid="consent-evidence" />
          </label>
          <label className="inline">
            <input type="checkbox" checked={draft.existingRelationship} onChange={(e) => setDraft({ ...draft, existingRelationship: e.target.checked })} data-testid="consent-existing" />
            Existing customer
          </label>
          <div className="row">
            <button type="submit" className="primary" data-testid="consent-save">
              Save consent
            </button>
            <button type="button" className="ghost" onClick={() => setDraft(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {message && (
        <p className="field-error" role="alert" data-testid="consent-error">
          {message}
        </p>
      )}
    </section>
  );
}
