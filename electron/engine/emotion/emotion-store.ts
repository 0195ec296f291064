import type { Kysely, Selectable } from 'kysely';
import { EmotionLabel, TextEmotion, VoiceFeatures, type TurnEmotion } from '../../contracts/emotion';
import type { TurnEmotionsTable } from '../storage/analysis-tables';
import type { Database } from '../storage/schema';

/** Per-turn emotion readings in SQLite (written as each caller turn is read). */
export class EmotionStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a turn's reading; reading the same turn again replaces it. */
  async save(reading: TurnEmotion, campaignId: string | null): Promise<void> {
    const row = {
      call_id: reading.callId,
      campaign_id: campaignId,
      seq: reading.seq,
      at: Date.parse(reading.at),
      label: reading.label,
      confidence: reading.confidence,
      valence: reading.valence,
      arousal: reading.arousal,
      text_reading: JSON.stringify(reading.text),
      voice: reading.voice ? JSON.stringify(reading.voice) : null,
      smoothed_label: reading.smoothed.label,
      smoothed_valence: reading.smoothed.valence,
      smoothed_arousal: reading.smoothed.arousal,
      frustration: reading.smoothed.frustration,
    };
    const { call_id: _c, seq: _s, ...update } = row;
    await this.db
      .insertInto('turn_emotions')
      .values(row)
      .onConflict((oc) => oc.columns(['call_id', 'seq']).doUpdateSet(update))
      .execute();
  }

  async track(callId: string): Promise<TurnEmotion[]> {
    const rows = await this.db.selectFrom('turn_emotions').selectAll().where('call_id', '=', callId).orderBy('seq').execute();
    return rows.map(toTurnEmotion);
  }

  /** The label the caller showed most often (ties go to the later one), or null with no readings. */
  async dominantLabel(callId: string): Promise<EmotionLabel | null> {
    const track = await this.track(callId);
    if (track.length === 0) return null;
    const counts = new Map<EmotionLabel, number>();
    for (const turn of track) counts.set(turn.label, (counts.get(turn.label) ?? 0) + 1);
    let best: EmotionLabel = track[track.length - 1]!.label;
    for (const [label, n] of counts) if (n > (counts.get(best) ?? 0)) best = label;
    return best;
  }
}

function toTurnEmotion(row: Selectable<TurnEmotionsTable>): TurnEmotion {
  return {
    callId: row.call_id,
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    label: EmotionLabel.parse(row.label),
    confidence: row.confidence,
    valence: row.valence,
    arousal: row.arousal,
    text: TextEmotion.parse(JSON.parse(row.text_reading)),
    voice: row.voice ? VoiceFeatures.parse(JSON.parse(row.voice)) : null,
    smoothed: {
      label: EmotionLabel.parse(row.smoothed_label),
      valence: row.smoothed_valence,
      arousal: row.smoothed_arousal,
      frustration: row.frustration,
    },
  };
}
