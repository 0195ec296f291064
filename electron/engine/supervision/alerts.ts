import type { AlertKind, CallAlert, EmotionLabel } from '../../contracts';
import { recogniseIntent } from '../voice/agents/intents';

export interface AlertRules {
  /** Caller turns in a row that read negative before "frustration rising" is raised. */
  negativeTurns: number;
  /** Nobody speaking on an answered call for this long raises "long silence". */
  longSilenceMs: number;
}

export const DEFAULT_ALERT_RULES: AlertRules = { negativeTurns: 2, longSilenceMs: 12_000 };

/** Insults and swearing aimed at the call: a desk agent may want to step in or end it. */
const ABUSIVE = /\b(fuck\w*|shit\w*|bitch\w*|bastard\w*|asshole\w*|arsehole\w*|dickhead\w*|cunt\w*|motherfucker\w*|piss off|screw you|go to hell|shut up|damn you|(you|you're|you are)( an?)?( \w+)? (idiot|moron|imbecile|stupid|loser|scum))\b/;

/** True when the words are abusive (swearing, insults). */
export function isAbusive(text: string): boolean {
  return ABUSIVE.test(text.toLowerCase().replace(/\s+/g, ' '));
}

const NEGATIVE: ReadonlySet<EmotionLabel> = new Set(['frustrated', 'sad', 'anxious']);
const MAX_ALERTS = 10;
let nextAlert = 1;

/**
 * One call's alerts. A kind is raised once while an alert of that kind is still showing; a desk
 * agent dismisses it, and it can be raised again when it happens again.
 */
export class CallAlerts {
  private readonly active: CallAlert[] = [];
  private negativeStreak = 0;
  private silenceRaised = false;

  constructor(private readonly rules: AlertRules = DEFAULT_ALERT_RULES) {}

  get list(): CallAlert[] {
    return [...this.active];
  }

  raise(kind: AlertKind, message: string, at: number): CallAlert | undefined {
    if (this.active.some((a) => a.kind === kind)) return undefined;
    const alert: CallAlert = { id: `a${nextAlert++}`, kind, message, at: new Date(at).toISOString() };
    this.active.unshift(alert);
    this.active.length = Math.min(this.active.length, MAX_ALERTS);
    return alert;
  }

  dismiss(alertId: string): CallAlert | undefined {
    const at = this.active.findIndex((a) => a.id === alertId);
    if (at < 0) return undefined;
    // A dismissed silence is not raised again until someone has spoken.
    return this.active.splice(at, 1)[0];
  }

  /** One caller turn's emotion reading; negative readings in a row raise "frustration rising". */
  onEmotion(reading: { label: EmotionLabel; valence: number }, at: number): CallAlert | undefined {
    const negative = NEGATIVE.has(reading.label) || reading.valence <= -0.35;
    this.negativeStreak = negative ? this.negativeStreak + 1 : 0;
    if (this.negativeStreak < this.rules.negativeTurns) return undefined;
    return this.raise('frustration', `The caller has sounded ${reading.label === 'neutral' ? 'negative' : reading.label} for ${this.negativeStreak} turns`, at);
  }

  /** One caller turn's words: asking not to be called, or abuse, each raises its alert. */
  onCallerWords(text: string, at: number): CallAlert[] {
    const quoted = `"${text.length > 120 ? `${text.slice(0, 117)}…` : text}"`;
    const raised: Array<CallAlert | undefined> = [];
    if (recogniseIntent(text).type === 'do-not-call') raised.push(this.raise('do-not-call', `The caller asked not to be called again: ${quoted}`, at));
    if (isAbusive(text)) raised.push(this.raise('abusive', `The caller used abusive language: ${quoted}`, at));
    return raised.filter((a): a is CallAlert => a !== undefined);
  }

  /** Someone spoke: a later silence is a new one. */
  onActivity(): void {
    this.silenceRaised = false;
  }

  /** Raises "long silence" once per silent stretch. */
  checkSilence(quietSince: number, now: number): CallAlert | undefined {
    if (this.silenceRaised || now - quietSince < this.rules.longSilenceMs) return undefined;
    this.silenceRaised = true;
    return this.raise('long-silence', `Nobody has spoken for ${Math.round((now - quietSince) / 1000)} s`, now);
  }
}
