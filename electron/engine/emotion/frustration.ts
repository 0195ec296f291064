import type { EmotionLabel, EmotionSettings, FrustrationAlert } from '../../contracts/emotion';
import type { SmoothedTrack } from './fusion';

/** What the voice agent should change after the alert fires. */
export interface AgentGuidance {
  /** Guidance for a language-model agent's next reply. */
  instruction: string;
  /** What a scripted agent says before its next line (it cannot reason about an instruction). */
  line: string;
  /** Multiply the TTS speaking rate by this (1 = unchanged). */
  speakingRate: number;
  offerHuman: boolean;
}

/** Smoothed frustration at or above this counts as a frustrated turn even if the turn's own label differs. */
const SMOOTHED_FRUSTRATION_THRESHOLD = 0.5;
/** Calm turns needed before the alert can fire again on the same call. */
const REARM_AFTER_CALM_TURNS = 2;
export const SLOWER_SPEAKING_RATE = 0.85;

/**
 * Counts consecutive frustrated caller turns and fires once when the campaign's threshold is
 * reached; re-arms after the caller has calmed down for a while.
 */
export class FrustrationTracker {
  private consecutive = 0;
  private calm = 0;
  private armed = true;

  constructor(private readonly settings: EmotionSettings) {}

  observe(
    turn: { callId: string; seq: number; at: string; label: EmotionLabel },
    track: SmoothedTrack,
  ): { alert: FrustrationAlert; guidance: AgentGuidance } | null {
    const frustrated = turn.label === 'frustrated' || track.frustration >= SMOOTHED_FRUSTRATION_THRESHOLD;
    if (frustrated) {
      this.consecutive += 1;
      this.calm = 0;
    } else {
      this.consecutive = 0;
      this.calm += 1;
      if (this.calm >= REARM_AFTER_CALM_TURNS) this.armed = true;
    }
    if (!this.settings.enabled || !this.armed || this.consecutive < this.settings.frustrationTurns) return null;
    this.armed = false;
    const actions: FrustrationAlert['actions'] = ['acknowledge'];
    if (this.settings.slowDown) actions.push('slow_down');
    if (this.settings.offerHuman) actions.push('offer_human');
    return {
      alert: { callId: turn.callId, seq: turn.seq, at: turn.at, turns: this.consecutive, frustration: round3(track.frustration), actions },
      guidance: guidanceFor(this.settings),
    };
  }
}

export function guidanceFor(settings: EmotionSettings): AgentGuidance {
  const parts = ['The caller sounds frustrated. Start by briefly acknowledging how they feel, in your own words, without arguing.'];
  if (settings.slowDown) parts.push('Speak more slowly, in short and simple sentences, one point at a time.');
  if (settings.offerHuman) parts.push('Offer to transfer them to a human colleague now, and do so if they accept.');
  const line = ["I'm sorry, I can hear this has been frustrating.", settings.slowDown ? "I'll keep it short." : '', settings.offerHuman ? 'Would you like me to put you through to a colleague?' : '']
    .filter(Boolean)
    .join(' ');
  return {
    instruction: parts.join(' '),
    line,
    speakingRate: settings.slowDown ? SLOWER_SPEAKING_RATE : 1,
    offerHuman: settings.offerHuman,
  };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;
