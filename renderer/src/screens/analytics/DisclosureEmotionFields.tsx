import { DEFAULT_EMOTION_SETTINGS, type Campaign, type EmotionSettings } from '../../../../electron/contracts';
import './analytics.css';

/** The campaign fields this screen group owns in the campaign editor. */
export interface DisclosureEmotion {
  disclosure: boolean;
  emotion: EmotionSettings;
}

export function disclosureEmotionOf(campaign: Campaign | undefined): DisclosureEmotion {
  return { disclosure: campaign?.disclosure ?? true, emotion: campaign?.emotion ?? DEFAULT_EMOTION_SETTINGS };
}

/** Disclosure in the opening line (on by default) and the emotion-aware agent's settings. */
export function DisclosureEmotionFields({ value, onChange }: { value: DisclosureEmotion; onChange(next: DisclosureEmotion): void }) {
  const emotion = (patch: Partial<EmotionSettings>) => onChange({ ...value, emotion: { ...value.emotion, ...patch } });
  return (
    <fieldset data-testid="disclosure-emotion">
      <legend>Disclosure and emotion</legend>
      <label className="checkbox-row">
        <input type="checkbox" data-testid="campaign-disclosure" checked={value.disclosure} onChange={(e) => onChange({ ...value, disclosure: e.target.checked })} />
        Open every call by saying it is automated, may be recorded and uses emotion analysis
      </label>
      {!value.disclosure && (
        <span className="field-error">Without it, calls may break the EU AI Act (Art. 50) and US rules on AI voices and recording consent.</span>
      )}
      <label className="checkbox-row">
        <input type="checkbox" data-testid="emotion-enabled" checked={value.emotion.enabled} onChange={(e) => emotion({ enabled: e.target.checked })} />
        Emotion-aware agent: when the caller stays frustrated, acknowledge it and alert the console
      </label>
      <label className="inline-number">
        Frustrated turns before the agent reacts
        <input
          type="number"
          data-testid="emotion-turns"
          min={1}
          max={10}
          value={value.emotion.frustrationTurns}
          disabled={!value.emotion.enabled}
          onChange={(e) => emotion({ frustrationTurns: Math.min(10, Math.max(1, Math.round(Number(e.target.value) || 1))) })}
        />
      </label>
      <label className="checkbox-row">
        <input type="checkbox" checked={value.emotion.slowDown} disabled={!value.emotion.enabled} onChange={(e) => emotion({ slowDown: e.target.checked })} />
        Slow down: shorter, simpler sentences
      </label>
      <label className="checkbox-row">
        <input type="checkbox" checked={value.emotion.offerHuman} disabled={!value.emotion.enabled} onChange={(e) => emotion({ offerHuman: e.target.checked })} />
        Offer to put the caller through to a person
      </label>
    </fieldset>
  );
}
