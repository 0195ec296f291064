import { EMOTION_LABEL_TEXT, type EmotionLabel, type TurnEmotion } from '../../../../electron/contracts';

export const EMOTION_COLORS: Record<EmotionLabel, string> = {
  neutral: '#98a2b3',
  happy: '#2e9d5b',
  confused: '#7a5af8',
  frustrated: '#d92d20',
  sad: '#2e6fd9',
  anxious: '#f79009',
};

/**
 * One call's emotion meter: the smoothed label with its frustration level, valence and arousal
 * bars, and the last turns as coloured dots. Used on the live panel and by the call view.
 */
export function EmotionMeter({ reading, history = [] }: { reading: TurnEmotion; history?: TurnEmotion[] }) {
  const { smoothed } = reading;
  const percent = (v: number) => `${Math.round(v * 100)}%`;
  return (
    <div className="emotion-meter" data-testid="emotion-meter" data-label={smoothed.label}>
      <div className="emotion-meter-head">
        <span className="emotion-dot" style={{ background: EMOTION_COLORS[smoothed.label] }} />
        <strong>{EMOTION_LABEL_TEXT[smoothed.label]}</strong>
        <span className="muted small">this turn: {EMOTION_LABEL_TEXT[reading.label]} ({percent(reading.confidence)})</span>
      </div>
      <Bar label="Valence" value={(smoothed.valence + 1) / 2} text={smoothed.valence.toFixed(2)} color={smoothed.valence >= 0 ? '#2e9d5b' : '#d92d20'} />
      <Bar label="Arousal" value={smoothed.arousal} text={smoothed.arousal.toFixed(2)} color="#f79009" />
      <Bar label="Frustration" value={smoothed.frustration} text={percent(smoothed.frustration)} color="#d92d20" />
      {history.length > 1 && (
        <div className="emotion-history" aria-label="Recent caller turns">
          {history.map((turn) => (
            <span key={turn.seq} className="emotion-dot" title={`Turn ${turn.seq}: ${EMOTION_LABEL_TEXT[turn.label]}`} style={{ background: EMOTION_COLORS[turn.label] }} />
          ))}
        </div>
      )}
    </div>
  );
}

function Bar({ label, value, text, color }: { label: string; value: number; text: string; color: string }) {
  return (
    <div className="meter-row">
      <span className="muted small">{label}</span>
      <div className="meter-track" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={1} aria-valuenow={value}>
        <div className="meter-fill" style={{ width: `${Math.max(0, Math.min(1, value)) * 100}%`, background: color }} />
      </div>
      <span className="small">{text}</span>
    </div>
  );
}
