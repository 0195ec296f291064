import type { CampaignSettings } from '../../../../electron/contracts';

/** Whether the campaign's calls are recorded, when the caller is asked first, and what is masked. */
export function RecordingFields({ value, onChange, disclosure }: { value: CampaignSettings; onChange(next: CampaignSettings): void; disclosure: boolean }) {
  return (
    <fieldset data-testid="recording-fields">
      <legend>Recording</legend>
      <label className="checkbox-row">
        <input type="checkbox" data-testid="campaign-recording" checked={value.recording} onChange={(e) => onChange({ ...value, recording: e.target.checked })} />
        Record calls (both sides, stereo), from the moment the caller has heard the disclosure
      </label>
      {value.recording && !disclosure && <span className="field-error">Calls without the disclosure are never recorded: the caller would not know.</span>}
      <label className="checkbox-row">
        <input
          type="checkbox"
          data-testid="campaign-recording-always-ask"
          checked={value.recordingConsent === 'always-ask'}
          disabled={!value.recording}
          onChange={(e) => onChange({ ...value, recordingConsent: e.target.checked ? 'always-ask' : 'by-state' })}
        />
        Ask every caller before recording (otherwise only where the law requires every party&apos;s consent: CA, FL, IL, MD, MA, MI, MT, NV, NH, PA, WA)
      </label>
      <label className="checkbox-row">
        <input type="checkbox" data-testid="campaign-redaction" checked={value.redaction} onChange={(e) => onChange({ ...value, redaction: e.target.checked })} />
        Redact card numbers, social security numbers and long digit runs: masked in transcripts, silenced in recordings
      </label>
    </fieldset>
  );
}
