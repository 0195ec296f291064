import type BetterSqlite3 from 'better-sqlite3';
import { runningQualification } from '../analysis/rules-analyzer';
import type { Logger } from '../logging';
import type { AudioChunk } from '../ports/audio';
import type { SynthesizeOptions, TextToSpeech } from '../ports/speech';
import { readSettings } from '../storage/campaign-settings-store';

export type VoiceTier = 'standard' | 'premium';

/**
 * The voice of one call, switchable between sentences: each `synthesize` (one sentence) goes to the
 * tier in force when it starts, so an upgrade takes effect from the next sentence, never mid-word.
 */
export class TieredTts implements TextToSpeech {
  private current: VoiceTier = 'standard';
  private spoke: VoiceTier = 'standard';

  constructor(
    private readonly standard: TextToSpeech,
    private readonly premium: TextToSpeech,
  ) {}

  get name(): string {
    return this.engine.name;
  }

  get providerId(): string | undefined {
    return this.engine.providerId;
  }

  get capabilities() {
    return this.engine.capabilities;
  }

  get tier(): VoiceTier {
    return this.current;
  }

  /** The tier of the last sentence sent to a voice (what the agent's latest turn sounded like). */
  get lastSpoken(): VoiceTier {
    return this.spoke;
  }

  upgrade(): void {
    this.current = 'premium';
  }

  synthesize(text: string, options: SynthesizeOptions = {}): AsyncIterable<AudioChunk> {
    this.spoke = this.current;
    if (this.current === 'standard') return this.standard.synthesize(text, options);
    // The campaign's voice name belongs to the office voice; the premium provider speaks with its own.
    const { voice: _officeVoice, ...rest } = options;
    return this.premium.synthesize(text, rest);
  }

  /** The engines belong to the runtime and the provider service; a call never disposes them. */
  async dispose(): Promise<void> {}

  private get engine(): TextToSpeech {
    return this.current === 'premium' ? this.premium : this.standard;
  }
}

/** One call's voice tier: starts premium for a contact already scored hot, upgrades when the call shows it. */
export interface CallVoiceTier {
  readonly tts: TieredTts;
  /** Called with each caller turn's text; may upgrade the voice for the next sentences. */
  callerSaid(text: string): void;
}

export interface VoiceTierSources {
  sqlite: BetterSqlite3.Database;
  logger: Logger;
  /** The premium provider's voice engine (built once, shared by calls). */
  premiumVoice(providerId: string): Promise<TextToSpeech>;
  /** False once the campaign's or the office's budget is spent. */
  budgetAllows(campaignId: string): boolean;
}

/**
 * Decides, per call, whether the campaign gives hot leads a premium voice (campaign setting
 * `premiumVoice`) and wires the switch. The running score is the rule-based lead score of what the
 * caller said so far; the starting one, the contact's last analysed call.
 */
export class VoiceTiers {
  private readonly campaignSettings: BetterSqlite3.Statement;
  private readonly lastScore: BetterSqlite3.Statement;

  constructor(private readonly sources: VoiceTierSources) {
    this.campaignSettings = sources.sqlite.prepare('select settings from campaigns where id = ?');
    this.lastScore = sources.sqlite.prepare('select qualification from call_analysis where contact_id = ? order by created_at desc limit 1');
  }

  async forCall(call: { callId: string; campaignId: string | null; contactId: string | null; standard: TextToSpeech }): Promise<CallVoiceTier | undefined> {
    if (!call.campaignId) return undefined;
    const row = this.campaignSettings.get(call.campaignId) as { settings: string } | undefined;
    const premium = row ? readSettings(row.settings).premiumVoice : null;
    if (!premium) return undefined;
    let engine: TextToSpeech;
    try {
      engine = await this.sources.premiumVoice(premium.providerId);
    } catch (error) {
      this.sources.logger.warn({ err: error, callId: call.callId, providerId: premium.providerId }, 'premium voice unavailable: the office voice speaks');
      return undefined;
    }
    const tts = new TieredTts(call.standard, engine);
    const campaignId = call.campaignId;
    const upgrade = (why: string) => {
      if (tts.tier === 'premium' || !this.sources.budgetAllows(campaignId)) return;
      tts.upgrade();
      this.sources.logger.info({ callId: call.callId, why }, 'premium voice from the next sentence');
    };
    const previous = call.contactId ? (this.lastScore.get(call.contactId) as { qualification: number } | undefined)?.qualification : undefined;
    if (previous !== undefined && previous >= premium.minQualification) upgrade(`last call scored ${previous}`);
    const said: string[] = [];
    return {
      tts,
      callerSaid: (text) => {
        said.push(text);
        if (tts.tier === 'standard' && runningQualification(said) >= premium.minQualification) upgrade('the call so far scores high');
      },
    };
  }
}
