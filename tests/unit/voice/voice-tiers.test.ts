import BetterSqlite3 from 'better-sqlite3';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { runningQualification } from '../../../electron/engine/analysis/rules-analyzer';
import type { AudioChunk } from '../../../electron/engine/ports/audio';
import type { SynthesizeOptions, TextToSpeech } from '../../../electron/engine/ports/speech';
import { TieredTts, VoiceTiers } from '../../../electron/engine/voice/voice-tiers';

/** A voice that remembers what it was asked to say. */
function recordingVoice(name: string) {
  const said: Array<{ text: string; options: SynthesizeOptions }> = [];
  const tts: TextToSpeech = {
    name,
    capabilities: { sampleRate: 16_000, voices: [], languages: [] },
    async *synthesize(text: string, options: SynthesizeOptions = {}): AsyncGenerator<AudioChunk> {
      said.push({ text, options });
      yield { samples: new Int16Array(160), sampleRate: 16_000 };
    },
    async dispose() {},
  };
  return { tts, said };
}

async function speak(tts: TextToSpeech, text: string, options?: SynthesizeOptions) {
  for await (const _ of tts.synthesize(text, options)) void _;
}

function store(premiumProvider: string) {
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.exec('create table campaigns (id text, settings text); create table call_analysis (contact_id text, qualification real, created_at integer)');
  sqlite.prepare('insert into campaigns values (?, ?)').run('c1', JSON.stringify({ premiumVoice: { providerId: premiumProvider, minQualification: 0.6 } }));
  sqlite.prepare('insert into campaigns values (?, ?)').run('c2', JSON.stringify({}));
  sqlite.prepare('insert into call_analysis values (?, ?, ?)').run('hot', 0.9, 1);
  return sqlite;
}

describe('voice tiers', () => {
  it('a switch takes effect from the next sentence; the premium voice speaks with its own voice, not the office voice name', async () => {
    const standard = recordingVoice('espeak-ng');
    const premium = recordingVoice('elevenlabs');
    const tiered = new TieredTts(standard.tts, premium.tts);
    await speak(tiered, 'One.', { voice: 'en-us' });
    expect(tiered.lastSpoken).toBe('standard');
    tiered.upgrade();
    await speak(tiered, 'Two.', { voice: 'en-us', language: 'en-US' });
    expect(standard.said.map((s) => s.text)).toEqual(['One.']);
    expect(premium.said).toEqual([{ text: 'Two.', options: { language: 'en-US' } }]);
    expect(tiered.lastSpoken).toBe('premium');
    expect(tiered.name).toBe('elevenlabs');
  });

  it('scores a call in progress from what the caller said', () => {
    expect(runningQualification([])).toBe(0);
    expect(runningQualification(['Hello? Who is calling?'])).toBeLessThan(0.6);
    expect(runningQualification(['Hello?', 'Yes, sign me up. We have the budget approved, we want it this week, and I make the decisions.'])).toBeGreaterThanOrEqual(0.9);
    expect(runningQualification(['No thanks, not interested.'])).toBe(0);
  });

  it('starts premium for a contact scored hot before, upgrades on a hot call, and never while the budget is spent', async () => {
    let budget = true;
    const standard = recordingVoice('espeak-ng').tts;
    const premium = recordingVoice('elevenlabs').tts;
    const tiers = new VoiceTiers({ sqlite: store('p1'), logger: pino({ level: 'silent' }), premiumVoice: async () => premium, budgetAllows: () => budget });
    expect(await tiers.forCall({ callId: 'a', campaignId: 'c2', contactId: 'hot', standard })).toBeUndefined(); // no premium voice configured
    expect((await tiers.forCall({ callId: 'b', campaignId: 'c1', contactId: 'hot', standard }))!.tts.tier).toBe('premium');
    const cold = (await tiers.forCall({ callId: 'c', campaignId: 'c1', contactId: 'new', standard }))!;
    expect(cold.tts.tier).toBe('standard');
    cold.callerSaid('Hello?');
    expect(cold.tts.tier).toBe('standard');
    cold.callerSaid('Yes, sign me up. We have the budget approved, we want it this week, and I make the decisions.');
    expect(cold.tts.tier).toBe('premium');

    budget = false;
    expect((await tiers.forCall({ callId: 'd', campaignId: 'c1', contactId: 'hot', standard }))!.tts.tier).toBe('standard');
    const spent = (await tiers.forCall({ callId: 'e', campaignId: 'c1', contactId: 'new', standard }))!;
    spent.callerSaid('Yes, sign me up. We have the budget approved, we want it this week, and I make the decisions.');
    expect(spent.tts.tier).toBe('standard');
  });

  it('a premium voice that cannot be built leaves the office voice speaking', async () => {
    const tiers = new VoiceTiers({ sqlite: store('p1'), logger: pino({ level: 'silent' }), premiumVoice: async () => Promise.reject(new Error('no key')), budgetAllows: () => true });
    expect(await tiers.forCall({ callId: 'a', campaignId: 'c1', contactId: 'hot', standard: recordingVoice('espeak-ng').tts })).toBeUndefined();
  });
});
