import { useState } from 'react';
import type { Line, TwilioNumber } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

export interface TwilioDraft {
  settings: Record<string, string>;
  reachability: 'public-url' | 'ngrok';
  machineDetection: boolean;
  numbers: string[];
  authToken: string;
  apiKeySecret: string;
  tunnelAuthtoken: string;
  /** Settings this form does not show (REST base, verdict wait, number configuration): kept as saved. */
  kept: Record<string, unknown>;
}

export function twilioDraftOf(line: Line | undefined): TwilioDraft {
  const s = line?.kind === 'twilio' ? line.settings : {};
  const text = (key: string) => (typeof s[key] === 'string' || typeof s[key] === 'number' ? String(s[key]) : '');
  return {
    settings: Object.fromEntries(TEXT_FIELDS.map(([key]) => [key, text(key)])),
    reachability: s.reachability === 'ngrok' ? 'ngrok' : 'public-url',
    machineDetection: s.machineDetection !== false,
    numbers: Array.isArray(s.numbers) ? (s.numbers as string[]) : [],
    authToken: '',
    apiKeySecret: '',
    tunnelAuthtoken: '',
    kept: Object.fromEntries(Object.entries(s).filter(([key]) => !FORM_KEYS.has(key))),
  };
}

const TEXT_FIELDS = [
  ['accountSid', 'Account SID', 'AC…'],
  ['publicBaseUrl', 'Public base URL (a reverse proxy to the webhook listener)', 'https://calls.example.com'],
  ['webhookHost', 'Webhook listener address', '127.0.0.1'],
  ['webhookPort', 'Webhook listener port', '8089'],
  ['apiKeySid', 'API key SID (desk agents\' phones)', 'SK…'],
  ['twimlAppSid', 'TwiML App SID (click-to-call)', 'AP…'],
] as const;

const FORM_KEYS = new Set<string>([...TEXT_FIELDS.map(([key]) => key), 'reachability', 'machineDetection', 'numbers']);

/** The Twilio line's settings (the LineForm's Twilio part). Secrets are write-only. */
export function TwilioLineFields({ line, draft, onChange }: { line?: Line; draft: TwilioDraft; onChange(draft: TwilioDraft): void }) {
  const client = useClient();
  const [owned, setOwned] = useState<TwilioNumber[]>();
  const [problem, setProblem] = useState<string>();
  const set = (patch: Partial<TwilioDraft>) => onChange({ ...draft, ...patch });
  const loadNumbers = async () => {
    setProblem(undefined);
    try {
      setOwned(await client.call('lines.twilioNumbers', { id: line!.id }));
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const toggle = (number: string) => set({ numbers: draft.numbers.includes(number) ? draft.numbers.filter((n) => n !== number) : [...draft.numbers, number] });
  const saved = line?.hasSecret ? 'saved (type to replace)' : '';

  return (
    <fieldset data-testid="twilio-fields">
      <legend>Twilio</legend>
      <div className="settings-grid">
        {TEXT_FIELDS.filter(([key]) => key !== 'publicBaseUrl' || draft.reachability === 'public-url').map(([key, label, placeholder]) => (
          <label key={key}>
            {label}
            <input value={draft.settings[key] ?? ''} placeholder={placeholder} onChange={(e) => set({ settings: { ...draft.settings, [key]: e.target.value } })} data-testid={`line-${key}`} />
          </label>
        ))}
        <label>
          Auth token
          <input type="password" autoComplete="new-password" value={draft.authToken} onChange={(e) => set({ authToken: e.target.value })} placeholder={saved} data-testid="line-password" />
        </label>
        <label>
          API key secret
          <input type="password" autoComplete="new-password" value={draft.apiKeySecret} onChange={(e) => set({ apiKeySecret: e.target.value })} placeholder={saved} data-testid="line-apiKeySecret" />
        </label>
        <label>
          How Twilio reaches this line
          <select value={draft.reachability} onChange={(e) => set({ reachability: e.target.value as TwilioDraft['reachability'] })} data-testid="line-reachability">
            <option value="public-url">A public URL the office provides</option>
            <option value="ngrok">An ngrok tunnel Parley opens</option>
          </select>
        </label>
        {draft.reachability === 'ngrok' && (
          <label>
            ngrok authtoken
            <input type="password" autoComplete="new-password" value={draft.tunnelAuthtoken} onChange={(e) => set({ tunnelAuthtoken: e.target.value })} placeholder={saved} data-testid="line-tunnelAuthtoken" />
          </label>
        )}
      </div>
      <label className="inline">
        <input type="checkbox" checked={draft.machineDetection} onChange={(e) => set({ machineDetection: e.target.checked })} /> Twilio's answering-machine detection (otherwise Parley's own)
      </label>
      <p className="muted small">Only Twilio's webhook and media paths answer on the webhook listener; the console and its API never do.</p>
      <div data-testid="twilio-numbers">
        <strong>Numbers</strong> {draft.numbers.length > 0 ? draft.numbers.join(', ') : <span className="muted">none chosen</span>}{' '}
        {line ? (
          <button type="button" className="ghost" onClick={loadNumbers} data-testid="twilio-load-numbers">
            Choose from the account
          </button>
        ) : (
          <span className="muted small">— save the line with its auth token, then choose its numbers</span>
        )}
        {problem && <div className="field-error small">{problem}</div>}
        {owned && (
          <ul className="plain-list">
            {owned.map((n) => (
              <li key={n.sid}>
                <label className="inline">
                  <input type="checkbox" checked={draft.numbers.includes(n.phoneNumber)} onChange={() => toggle(n.phoneNumber)} data-testid="twilio-number" /> {n.phoneNumber} <span className="muted small">{n.friendlyName}</span>
                </label>
              </li>
            ))}
            {owned.length === 0 && <li className="muted">This account has no numbers.</li>}
          </ul>
        )}
      </div>
    </fieldset>
  );
}

/** The Twilio part of a line input. */
export function twilioInput(draft: TwilioDraft) {
  const settings: Record<string, unknown> = { ...draft.kept, reachability: draft.reachability, machineDetection: draft.machineDetection, numbers: draft.numbers };
  for (const [key, value] of Object.entries(draft.settings)) {
    const text = value.trim();
    if (text) settings[key] = key === 'webhookPort' ? Number(text) : text;
  }
  return {
    settings: settings as { accountSid: string },
    ...(draft.authToken ? { password: draft.authToken } : {}),
    ...(draft.apiKeySecret ? { apiKeySecret: draft.apiKeySecret } : {}),
    ...(draft.tunnelAuthtoken ? { tunnelAuthtoken: draft.tunnelAuthtoken } : {}),
  };
}
