import { useState, type FormEvent } from 'react';
import { ParleyError, type Campaign, type Line, type LineInput, type LineKind } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useLines } from '../../store/lines';
import { TwilioLineFields, twilioDraftOf, twilioInput } from './TwilioLineFields';

interface Props {
  line?: Line;
  campaigns: Campaign[];
  onDone(line?: Line): void;
}

/** Text fields per kind; numbers are parsed on save, so a half-typed value never jumps. */
const SIP_FIELDS = [
  ['server', 'Server (registrar or proxy)', 'pbx.example.com'],
  ['port', 'Port', '5060'],
  ['username', 'User (extension or trunk user)', '201'],
  ['authUsername', 'Authentication user, if different', ''],
  ['domain', 'SIP domain, if not the server', ''],
  ['outboundProxy', 'Outbound proxy, if any', ''],
] as const;
const AUDIOSOCKET_FIELDS = [
  ['listenHost', 'AudioSocket server address', '127.0.0.1'],
  ['listenPort', 'AudioSocket port', '9092'],
  ['ariUrl', 'ARI URL (outbound calls)', 'http://pbx:8088/ari'],
  ['ariUsername', 'ARI user', ''],
  ['ariEndpoint', 'Originate endpoint', 'PJSIP/{number}@trunk'],
  ['audioSocketAddress', 'Address Asterisk uses to reach Parley', 'parley-host:9092'],
] as const;
const NUMERIC = new Set(['port', 'listenPort']);

/** Add or edit one line. The password is write-only: a saved one shows as "saved" and is kept unless replaced. */
export function LineForm({ line, campaigns, onDone }: Props) {
  const client = useClient();
  const [kind, setKind] = useState<LineKind>(line?.kind ?? 'sip');
  const [name, setName] = useState(line?.name ?? '');
  const [maxCalls, setMaxCalls] = useState(String(line?.maxCalls ?? 4));
  const [rate, setRate] = useState(line?.ratePerMinuteUsd == null ? '' : String(line.ratePerMinuteUsd));
  const [callerIds, setCallerIds] = useState((line?.callerIds ?? []).join(', '));
  const [inbound, setInbound] = useState(line?.inboundCampaignId ?? '');
  const [settings, setSettings] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(line?.settings ?? {}).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)])));
  const [transport, setTransport] = useState(String(line?.settings.transport ?? 'udp'));
  const [register, setRegister] = useState(line?.settings.register !== false);
  const [password, setPassword] = useState('');
  const [twilio, setTwilio] = useState(() => twilioDraftOf(line));
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fields = kind === 'sip' ? SIP_FIELDS : kind === 'audiosocket' ? AUDIOSOCKET_FIELDS : [];
  const inboundCampaigns = campaigns.filter((c) => c.direction === 'inbound');

  const input = (): LineInput => {
    const common = { name, maxCalls: Number(maxCalls), callerIds: callerIds.split(',').map((c) => c.trim()).filter(Boolean), inboundCampaignId: inbound || null, ratePerMinuteUsd: rate.trim() === '' ? null : Number(rate) };
    if (kind === 'simulated') return { kind, ...common };
    if (kind === 'twilio') return { kind, ...common, ...twilioInput(twilio) };
    const values: Record<string, unknown> = {};
    for (const [key] of fields) {
      const text = settings[key]?.trim() ?? '';
      if (text) values[key] = NUMERIC.has(key) ? Number(text) : text;
    }
    const secret = password ? { password } : {};
    if (kind === 'sip') return { kind, ...common, settings: { ...(values as { server: string; username: string }), transport: transport as 'udp', register }, ...secret };
    return { kind: 'audiosocket', ...common, settings: values, ...secret };
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(undefined);
    try {
      const saved = line ? await client.call('lines.update', { id: line.id, line: input() }) : await client.call('lines.create', input());
      useLines.getState().upsert(saved);
      setPassword('');
      setTwilio((t) => ({ ...t, authToken: '', apiKeySecret: '', tunnelAuthtoken: '' }));
      onDone(saved);
    } catch (error) {
      const issues = error instanceof ParleyError && error.issues ? `: ${error.issues.map((i) => `${i.path.replace(/^(line\.)?settings\./, '')} ${i.message}`).join('; ')}` : '';
      setMessage(`${(error as Error).message}${issues}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="editor" onSubmit={submit} data-testid="line-form" noValidate>
      <h2>{line ? `Edit ${line.name}` : 'Add a line'}</h2>
      <div className="settings-grid">
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value as LineKind)} disabled={Boolean(line)} data-testid="line-kind">
            <option value="sip">SIP trunk or PBX extension</option>
            <option value="audiosocket">Asterisk (AudioSocket)</option>
            <option value="twilio">Twilio (numbers of your Twilio account)</option>
            <option value="simulated">Simulated callers (dry runs)</option>
          </select>
        </label>
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="Office trunk" data-testid="line-name" />
        </label>
        <label>
          Calls at once
          <input type="number" min={1} value={maxCalls} onChange={(e) => setMaxCalls(e.target.value)} data-testid="line-max-calls" />
        </label>
        <label>
          $ per minute <span className="muted small">— what the carrier charges for an answered minute (call costs and budgets)</span>
          <input inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} placeholder="not priced" data-testid="line-rate" />
        </label>
        <label>
          Caller ID numbers <span className="muted small">— comma separated, E.164</span>
          <input value={callerIds} onChange={(e) => setCallerIds(e.target.value)} placeholder="+13125550100" />
        </label>
        <label>
          Incoming calls answered by
          <select value={inbound} onChange={(e) => setInbound(e.target.value)} data-testid="line-inbound">
            <option value="">Nobody (incoming calls are refused)</option>
            {inboundCampaigns.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {kind === 'simulated' && <p className="muted">Simulated callers answer every number. Campaigns on this line are dry runs: nothing is written to real contacts.</p>}
      {kind === 'twilio' && <TwilioLineFields line={line} draft={twilio} onChange={setTwilio} />}
      {(kind === 'sip' || kind === 'audiosocket') && (
        <fieldset>
          <legend>{kind === 'sip' ? 'SIP' : 'Asterisk'}</legend>
          <div className="settings-grid">
            {fields.map(([key, label, placeholder]) => (
              <label key={key}>
                {label}
                <input value={settings[key] ?? ''} placeholder={placeholder} onChange={(e) => setSettings({ ...settings, [key]: e.target.value })} data-testid={`line-${key}`} />
              </label>
            ))}
            {kind === 'sip' && (
              <label>
                Transport
                <select value={transport} onChange={(e) => setTransport(e.target.value)}>
                  <option value="udp">UDP</option>
                  <option value="tcp">TCP</option>
                  <option value="tls">TLS</option>
                </select>
              </label>
            )}
            <label>
              {kind === 'sip' ? 'Password' : 'ARI password'}
              <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} placeholder={line?.hasSecret ? 'saved' : ''} data-testid="line-password" />
              {line?.hasSecret && !password && <span className="muted small" data-testid="line-password-saved">saved (type to replace)</span>}
            </label>
          </div>
          {kind === 'sip' && (
            <label className="inline">
              <input type="checkbox" checked={register} onChange={(e) => setRegister(e.target.checked)} /> Register with the server (an extension, or a trunk with registration)
            </label>
          )}
        </fieldset>
      )}
      <div className="actions">
        <button className="primary" type="submit" disabled={busy} data-testid="save-line">
          {line ? 'Save changes' : 'Add line'}
        </button>
        <button type="button" className="ghost" onClick={() => onDone()}>
          Cancel
        </button>
        {message && (
          <span role="status" className="field-error" data-testid="line-form-message">
            {message}
          </span>
        )}
      </div>
    </form>
  );
}
