import { useCallback, useEffect, useState } from 'react';
import type { CrmConnection, CrmTestResult } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useAction } from '../../lib/use-action';

/** `field=property` lines as the mapping HubSpotSettings.contactFields takes. */
function parseFields(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.split('=').map((part) => part.trim()))
      .filter((pair): pair is [string, string] => pair.length === 2 && Boolean(pair[0]) && Boolean(pair[1])),
  );
}

/** Admin: connect HubSpot with a private app's access token (write-only), test it, disconnect. */
export function CrmPanel() {
  const client = useClient();
  const [crm, setCrm] = useState<CrmConnection>();
  const [token, setToken] = useState('');
  const [answersAsNote, setAnswersAsNote] = useState(true);
  const [createContacts, setCreateContacts] = useState(true);
  const [fields, setFields] = useState('');
  const [test, setTest] = useState<CrmTestResult>();

  const load = useCallback(async () => {
    const current = await client.call('crm.get', {});
    setCrm(current);
    if (current.settings) {
      setAnswersAsNote(current.settings.answersAsNote);
      setCreateContacts(current.settings.createContacts);
      setFields(Object.entries(current.settings.contactFields).map(([from, to]) => `${from}=${to}`).join('\n'));
    }
  }, [client]);
  useEffect(() => void load(), [load]);

  const { problem, act } = useAction(load);
  const connect = () =>
    act(async () => {
      await client.call('crm.connect', { kind: 'hubspot', ...(token ? { token } : {}), settings: { answersAsNote, createContacts, recordingBaseUrl: crm?.settings?.recordingBaseUrl ?? null, ownerId: crm?.settings?.ownerId ?? null, contactFields: parseFields(fields) } });
      setToken('');
    });

  return (
    <section className="webhooks" data-testid="crm-panel">
      <h2>CRM: HubSpot</h2>
      <p className="muted small">
        Each analysed call (never a dry run) is logged in HubSpot as a Call on the contact found by phone or email (created when missing), with the summary and the answers. The token of a HubSpot
        private app (scopes: crm.objects.contacts.read and .write) is kept in the secret store.
      </p>
      {problem && <p className="error">{problem}</p>}
      <div className="webhook-form">
        <input type="password" autoComplete="off" placeholder={crm?.hasToken ? 'Token saved (leave empty to keep it)' : 'Private app access token'} value={token} onChange={(e) => setToken(e.target.value)} data-testid="crm-token" />
        <label className="small">
          <input type="checkbox" checked={answersAsNote} onChange={(e) => setAnswersAsNote(e.target.checked)} /> Also log the answers as a note on the contact
        </label>
        <label className="small">
          <input type="checkbox" checked={createContacts} onChange={(e) => setCreateContacts(e.target.checked)} /> Create the contact when HubSpot has none with that number or email
        </label>
        <label className="small">
          Contact fields to copy into new HubSpot contacts, one per line: <code>parley_field=hubspot_property</code>
          <textarea rows={2} value={fields} onChange={(e) => setFields(e.target.value)} placeholder="vehicle=vehicle_model" data-testid="crm-fields" />
        </label>
        <div className="line-actions">
          <button className="primary" onClick={connect} disabled={!token && !crm?.hasToken} data-testid="crm-connect">
            {crm?.kind ? 'Save' : 'Connect HubSpot'}
          </button>
          {crm?.kind && (
            <>
              <button className="ghost" onClick={() => act(async () => setTest(await client.call('crm.test', {})))} data-testid="crm-test">
                Test
              </button>
              <button className="danger" onClick={() => act(() => client.call('crm.disconnect', {}))} data-testid="crm-disconnect">
                Disconnect
              </button>
            </>
          )}
        </div>
        {test && (
          <div className={test.ok ? 'ok small' : 'field-error small'} data-testid="crm-test-result">
            {test.message}
          </div>
        )}
      </div>
    </section>
  );
}
