import { useState } from 'react';
import { isTimeZone, WEEKDAYS, type CampaignSettings, type Segment } from '../../../../electron/contracts';
import { OpeningPreview } from './OpeningPreview';
import { CampaignModelField, PremiumVoiceField } from './ProviderFields';

const DAY_LABELS: Record<(typeof WEEKDAYS)[number], string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };
const OUTCOMES: Array<[keyof CampaignSettings['retryDelayMinutes'], string]> = [
  ['noAnswer', 'No answer'],
  ['busy', 'Busy'],
  ['voicemail', 'Voicemail'],
  ['failed', 'Failed'],
  ['interrupted', 'Cut off by a stop of Parley'],
];
const COMMON_ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Phoenix', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu', 'America/Toronto', 'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney'];

interface Props {
  value: CampaignSettings;
  onChange(next: CampaignSettings): void;
  errors: Record<string, string>;
  segments: Segment[];
  /** For the opening line's preview: the campaign's internal name (never said) and whether the disclosure follows. */
  campaignName?: string;
  disclosure?: boolean;
}

/** The campaign's dialing settings: script, audience, calling window, limits and retries, priority, test limit, A/B variants. */
export function CampaignSettingsFields({ value, onChange, errors, segments, campaignName = '', disclosure = true }: Props) {
  const set = <K extends keyof CampaignSettings>(key: K, v: CampaignSettings[K]) => onChange({ ...value, [key]: v });
  const callWindow = value.callingWindow;
  const error = (key: string) => errors[key] && <span className="field-error">{errors[key]}</span>;
  const numberOr = (text: string, fallback: number) => (text === '' || Number.isNaN(Number(text)) ? fallback : Number(text));

  return (
    <>
      <fieldset>
        <legend>Script</legend>
        <div className="settings-grid">
          <label>
            Company name <span className="muted small">— who the contact hears is calling</span>
            <input value={value.companyName} onChange={(e) => set('companyName', e.target.value)} placeholder="e.g. Northside Auto" maxLength={100} data-testid="campaign-company" />
            {error('companyName')}
          </label>
          <label>
            Agent name <span className="muted small">— the name the AI gives</span>
            <input value={value.agentName} onChange={(e) => set('agentName', e.target.value)} placeholder="e.g. Sam" maxLength={60} data-testid="campaign-agent-name" />
            {error('agentName')}
          </label>
        </div>
        <label>
          Opening line <span className="muted small">— empty: made from the names above. {'{{firstName}}'}, {'{{name}}'}, {'{{company}}'}, {'{{agentName}}'}, {'{{companyName}}'} and custom fields are filled in per contact</span>
          <textarea rows={2} value={value.openingLine} onChange={(e) => set('openingLine', e.target.value)} placeholder="e.g. Hi {{firstName}}, this is {{agentName}} from {{companyName}}." data-testid="campaign-opening" />
          {error('openingLine')}
        </label>
        <OpeningPreview settings={value} campaignName={campaignName} disclosure={disclosure} />
        <label>
          Closing
          <textarea rows={2} value={value.closing} onChange={(e) => set('closing', e.target.value)} />
          {error('closing')}
        </label>
        <label>
          Voicemail message
          <textarea rows={2} value={value.voicemailMessage} onChange={(e) => set('voicemailMessage', e.target.value)} data-testid="campaign-voicemail" />
          {error('voicemailMessage')}
        </label>
        <label>
          When a machine answers
          <select value={value.voicemailAction} onChange={(e) => set('voicemailAction', e.target.value as CampaignSettings['voicemailAction'])} data-testid="campaign-voicemail-action">
            <option value="leave-message">Leave the voicemail message after the beep</option>
            <option value="hang-up">Hang up</option>
          </select>
          {error('voicemailAction')}
        </label>
        <div className="settings-grid">
          <label>
            Voice
            <input value={value.voice} onChange={(e) => set('voice', e.target.value)} placeholder="engine default" />
            {error('voice')}
          </label>
          <label>
            Language
            <input value={value.language} onChange={(e) => set('language', e.target.value)} data-testid="campaign-language" />
            {error('language')}
          </label>
          <label>
            Channel
            <select value={value.channel} onChange={(e) => set('channel', e.target.value as CampaignSettings['channel'])}>
              <option value="voice">Voice call</option>
              <option value="sms" disabled>
                SMS (later)
              </option>
              <option value="email" disabled>
                Email (later)
              </option>
            </select>
            {error('channel')}
          </label>
        </div>
        <CampaignModelField value={value.llmProviderId} onChange={(next) => set('llmProviderId', next)} />
        <PremiumVoiceField value={value.premiumVoice} onChange={(next) => set('premiumVoice', next)} />
      </fieldset>

      <fieldset>
        <legend>Who and when</legend>
        <div className="settings-grid">
          <label>
            Segment
            <select value={value.segmentId ?? ''} onChange={(e) => set('segmentId', e.target.value || null)} data-testid="campaign-segment">
              <option value="">Every contact</option>
              {segments.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.callable.toLocaleString()} callable)
                </option>
              ))}
            </select>
            {error('segmentId')}
          </label>
          <label>
            Purpose of the calls
            <select value={value.purpose} onChange={(e) => set('purpose', e.target.value as typeof value.purpose)} data-testid="campaign-purpose">
              <option value="marketing">Marketing (needs prior express written consent)</option>
              <option value="informational">Informational (needs prior express consent)</option>
              <option value="existing-customer">Existing-customer service (consent or an existing relationship)</option>
            </select>
            {error('purpose')}
          </label>
          <label>
            Time zone when unknown
            <input value={value.defaultTimezone} onChange={(e) => set('defaultTimezone', e.target.value)} list="campaign-zones" data-testid="campaign-timezone" />
            {!isTimeZone(value.defaultTimezone) && !errors.defaultTimezone && <span className="field-error">Unknown time zone</span>}
            {error('defaultTimezone')}
          </label>
          <label>
            Calls start at (contact’s local time)
            <input type="time" value={callWindow.start} onChange={(e) => set('callingWindow', { ...callWindow, start: e.target.value })} data-testid="window-start" />
          </label>
          <label>
            No new calls after
            <input type="time" value={callWindow.end} onChange={(e) => set('callingWindow', { ...callWindow, end: e.target.value })} data-testid="window-end" />
          </label>
        </div>
        <datalist id="campaign-zones">
          {COMMON_ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
        <div className="day-checks" role="group" aria-label="Calling days">
          {WEEKDAYS.map((day) => (
            <label key={day}>
              <input
                type="checkbox"
                checked={callWindow.days.includes(day)}
                onChange={(e) => set('callingWindow', { ...callWindow, days: e.target.checked ? WEEKDAYS.filter((d) => d === day || callWindow.days.includes(d)) : callWindow.days.filter((d) => d !== day) })}
              />
              {DAY_LABELS[day]}
            </label>
          ))}
        </div>
        <label>
          Holidays (no calls), one date per line as YYYY-MM-DD
          <HolidaysInput value={callWindow.holidays} onChange={(holidays) => set('callingWindow', { ...callWindow, holidays })} />
        </label>
        {error('callingWindow')}
      </fieldset>

      <fieldset>
        <legend>A caller who asks for a person</legend>
        <div className="settings-grid">
          <label>
            Wait for a desk agent (seconds), then offer a callback
            <input type="number" min={5} max={900} value={value.transferWaitSeconds} onChange={(e) => set('transferWaitSeconds', numberOr(e.target.value, 0))} data-testid="campaign-transfer-wait" />
            {error('transferWaitSeconds')}
          </label>
          <label>
            Human transfer number or extension
            <input value={value.humanTransferTarget} onChange={(e) => set('humanTransferTarget', e.target.value)} data-testid="campaign-transfer-target" />
            <span className="muted small">Optional: a desk agent can then put a waiting caller through to it</span>
            {error('humanTransferTarget')}
          </label>
        </div>
      </fieldset>

      <fieldset>
        <legend>Dialing</legend>
        <div className="settings-grid">
          <label>
            Calls at once
            <input type="number" min={1} max={100} value={value.maxConcurrentCalls} onChange={(e) => set('maxConcurrentCalls', numberOr(e.target.value, 0))} data-testid="campaign-concurrency" />
            {error('maxConcurrentCalls')}
          </label>
          <label>
            Attempts per contact
            <input type="number" min={1} max={20} value={value.maxAttempts} onChange={(e) => set('maxAttempts', numberOr(e.target.value, 0))} />
            {error('maxAttempts')}
          </label>
          <label>
            Priority (1-10)
            <input type="number" min={1} max={10} value={value.priority} onChange={(e) => set('priority', numberOr(e.target.value, 0))} />
            {error('priority')}
          </label>
          <label>
            Test: call only the first
            <input type="number" min={1} value={value.testLimit ?? ''} placeholder="everyone" onChange={(e) => set('testLimit', e.target.value === '' ? null : numberOr(e.target.value, 0))} data-testid="campaign-test-limit" />
            {error('testLimit')}
          </label>
          <label>
            <input type="checkbox" checked={value.analysisBooksCallbacks} onChange={(e) => set('analysisBooksCallbacks', e.target.checked)} data-testid="campaign-analysis-callbacks" />
            Book a callback when the call analysis says to call back
          </label>
        </div>
        <div className="retry-grid">
          {OUTCOMES.map(([key, label]) => {
            const delay = value.retryDelayMinutes[key];
            return (
              <label key={key}>
                {label}: retry after (minutes)
                <input
                  type="number"
                  min={1}
                  disabled={delay === null}
                  value={delay ?? ''}
                  onChange={(e) => set('retryDelayMinutes', { ...value.retryDelayMinutes, [key]: numberOr(e.target.value, 0) })}
                />
                <span className="inline">
                  <input type="checkbox" checked={delay === null} onChange={(e) => set('retryDelayMinutes', { ...value.retryDelayMinutes, [key]: e.target.checked ? null : 60 })} />
                  don’t retry
                </span>
              </label>
            );
          })}
        </div>
        {error('retryDelayMinutes')}
      </fieldset>

      <fieldset>
        <legend>Retention</legend>
        <div className="settings-grid">
          {(
            [
              ['recordingRetentionDays', 'Keep recordings (days)'],
              ['transcriptRetentionDays', 'Keep transcripts (days)'],
            ] as const
          ).map(([key, label]) => (
            <label key={key}>
              {label}
              <input type="number" min={1} disabled={value[key] === null} value={value[key] ?? ''} onChange={(e) => set(key, numberOr(e.target.value, 0))} data-testid={`campaign-${key}`} />
              <span className="inline">
                <input type="checkbox" checked={value[key] === null} onChange={(e) => set(key, e.target.checked ? null : 90)} />
                keep
              </span>
              {error(key)}
            </label>
          ))}
        </div>
        <p className="muted small">The daily purge deletes older recordings and transcripts of this campaign, except calls on legal hold.</p>
      </fieldset>

      <fieldset>
        <legend>A/B prompt variants</legend>
        {value.variants.length === 0 && <p className="muted small">No variants: every call uses the agent prompt above.</p>}
        {value.variants.map((v, i) => (
          <div className="variant-row" key={i}>
            <input value={v.name} onChange={(e) => set('variants', value.variants.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} placeholder="Variant name" aria-label="Variant name" />
            <input type="number" min={0} max={100} value={v.weight} onChange={(e) => set('variants', value.variants.map((x, j) => (j === i ? { ...x, weight: numberOr(e.target.value, 0) } : x)))} aria-label="Share" title="Share of contacts" />
            <button type="button" className="ghost" onClick={() => set('variants', value.variants.filter((_, j) => j !== i))} aria-label="Remove variant">
              ✕
            </button>
            <textarea rows={3} value={v.agentPrompt} onChange={(e) => set('variants', value.variants.map((x, j) => (j === i ? { ...x, agentPrompt: e.target.value } : x)))} placeholder="The agent prompt for this variant" aria-label="Variant prompt" />
          </div>
        ))}
        {value.variants.length < 5 && (
          <button type="button" className="ghost" onClick={() => set('variants', [...value.variants, { name: `Variant ${String.fromCharCode(65 + value.variants.length)}`, agentPrompt: '', weight: 50 }])}>
            + Add variant
          </button>
        )}
        {error('variants')}
      </fieldset>
    </>
  );
}

/** Free text while typing (a trailing newline must survive), parsed into dates on every change. */
function HolidaysInput({ value, onChange }: { value: string[]; onChange(dates: string[]): void }) {
  const [text, setText] = useState(value.join('\n'));
  return (
    <textarea
      rows={2}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.split(/[\s,]+/).filter(Boolean));
      }}
      data-testid="window-holidays"
    />
  );
}
