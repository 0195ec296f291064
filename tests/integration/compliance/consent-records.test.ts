import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../electron/engine';
import { importText, testEngine, type TestEngine } from '../dialer/harness';

const engines: TestEngine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.dispose();
});

async function setup() {
  const t = await testEngine({ clock: new ManualClock(Date.parse('2026-01-13T16:00:00Z')) });
  engines.push(t);
  return t;
}

const byName = async (t: TestEngine, name: string) => (await t.client.call('contacts.list', { search: name })).contacts[0]!;

describe('consent records', () => {
  it('are read from consent columns of an import, with a warning for what cannot be used', async () => {
    const t = await setup();
    const report = await importText(
      t.engine,
      [
        'name,phone,consent,consent_source,consent_date,consent_evidence',
        'Ada,212-555-0101,Prior express written,web form example.com/join,2025-12-01,https://example.com/proof/ada',
        'Ben,212-555-0102,express,asked at the counter,,',
        'Cy,212-555-0103,maybe,somewhere,,',
        'Di,212-555-0104,written,,,',
        'Ed,212-555-0105,,,,',
      ].join('\n'),
      { consent: false },
    );
    expect(report.imported).toBe(5);
    expect(await t.client.call('contacts.consent', { contactId: (await byName(t, 'Ada')).id })).toMatchObject({
      kind: 'prior-express-written',
      source: 'web form example.com/join',
      obtainedOn: '2025-12-01',
      evidence: 'https://example.com/proof/ada',
      revoked: null,
      updatedBy: 'import',
    });
    expect((await t.client.call('contacts.consent', { contactId: (await byName(t, 'Ben')).id })).kind).toBe('prior-express');
    for (const name of ['Cy', 'Di', 'Ed']) expect((await t.client.call('contacts.consent', { contactId: (await byName(t, name)).id })).kind).toBe('none');
    const warnings = JSON.stringify(report);
    expect(warnings).toContain('Unknown consent \\"maybe\\"');
    expect(warnings).toContain('Consent without a source');
  });

  it('records "stop calling me" on a call as the caller revoking, and an import never lifts a revocation', async () => {
    const t = await setup();
    await importText(t.engine, 'name,phone,consent,consent_source\nAda,212-555-0101,written,web form', { consent: false });
    const ada = await byName(t, 'Ada');
    // The agent's mark-dnc action on a real call (call-launcher -> CallStore.markDoNotCall).
    await t.engine.context.voice.calls.markDoNotCall('+12125550101', 'caller asked', 'call-123');
    const revoked = await t.client.call('contacts.consent', { contactId: ada.id });
    expect(revoked.revoked).toMatchObject({ how: 'Caller asked on call call-123', callId: 'call-123' });

    await importText(t.engine, 'name,phone,consent,consent_source\nAda,212-555-0101,written,newer web form', { consent: false });
    expect((await t.client.call('contacts.consent', { contactId: ada.id })).revoked).not.toBeNull();

    // Given anew on the contact page: the revocation is cleared, and the change is audited.
    const given = await t.client.call('contacts.setConsent', { contactId: ada.id, consent: { kind: 'prior-express-written', source: 'signed form in person', obtainedOn: '2026-01-13' } });
    expect(given).toMatchObject({ revoked: null, source: 'signed form in person' });
    const audit = await t.client.call('audit.list', { action: 'consent.change' });
    expect(audit.entries[0]).toMatchObject({ target: `contact:${ada.id}`, detail: { kind: 'prior-express-written', source: 'signed form in person' } });
  });

  it('refuses consent for a contact that does not exist, and a manual revocation without a reason', async () => {
    const t = await setup();
    await expect(t.client.call('contacts.consent', { contactId: 'nobody' })).rejects.toMatchObject({ code: 'not_found' });
    await importText(t.engine, 'name,phone\nAda,212-555-0101');
    const ada = await byName(t, 'Ada');
    await expect(t.client.call('contacts.revokeConsent', { contactId: ada.id, reason: ' ' })).rejects.toMatchObject({ code: 'invalid_payload' });
    expect((await t.client.call('contacts.revokeConsent', { contactId: ada.id, reason: 'asked by letter' })).revoked).toMatchObject({ how: 'Manual: asked by letter', callId: null });
  });
});
