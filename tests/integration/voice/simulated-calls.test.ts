import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EspeakTts } from '../../../electron/engine/adapters/tts/espeak';
import { createSileroVad } from '../../../electron/engine/adapters/vad/silero';
import type { VoiceActivityDetector } from '../../../electron/engine/ports/speech';
import { PlayoutClock } from '../../../electron/engine/voice/playout-clock';
import { warmUp } from '../../../electron/engine/voice/runtime';
import { agentTurns, callerTurns, simulateCall, type CallRecord } from './harness';

/**
 * Whole simulated calls at real time: espeak-ng speaks the callers, Silero finds their speech, the
 * scripted agent answers. Four callers at once: one interrupts, one says "uh-huh", one stops the
 * agent with a single "Wait.", one reads a phone number with long pauses.
 */
describe('simulated calls through the pipeline', () => {
  let tts: EspeakTts;
  let vad: VoiceActivityDetector;
  const clock = new PlayoutClock();
  let calls: Record<string, CallRecord>;

  beforeAll(async () => {
    tts = new EspeakTts();
    vad = await createSileroVad();
    await warmUp(vad);
    const personas = ['interrupter', 'backchanneler', 'says-wait', 'number-reader'];
    const records = await Promise.all(personas.map((persona) => simulateCall({ persona, tts, vad, clock })));
    calls = Object.fromEntries(personas.map((p, i) => [p, records[i]!]));
  }, 120_000);

  afterAll(async () => {
    clock.stop();
    await vad?.dispose();
    await tts?.dispose();
  });

  it('greets, asks every question in order, and ends the call itself', () => {
    for (const { result } of Object.values(calls)) {
      const said = agentTurns(result).map((t) => t.text);
      expect(said[0]).toMatch(/^Hello Jo, I'm calling on behalf of Northside Auto\./);
      expect(said.join(' ')).toContain('Would you like to book your spring service?');
      expect(said.join(' ')).toContain('Morning or afternoon?');
      expect(said[said.length - 1]).toMatch(/goodbye\.$/);
      expect(result.endedBy).toBe('agent');
      expect(result.stats.droppedFrames).toBe(0);
    }
  });

  it('stops within one frame when the caller barges in, clears the line, and keeps only what was heard', () => {
    const { result, interruptions, clears, sends } = calls.interrupter!;
    expect(interruptions).toHaveLength(1);
    const decidedAt = interruptions[0]!;
    // The carrier was told to drop its queue straight away...
    expect(clears).toHaveLength(1);
    expect(clears[0]! - decidedAt).toBeLessThan(20);
    // ...and not one more agent frame went out while the caller was still talking.
    expect(sends.filter((t) => t > decidedAt && t < decidedAt + 500)).toHaveLength(0);
    const cut = agentTurns(result).find((t) => t.interrupted)!;
    expect(cut).toBeDefined();
    expect(cut.fullText).toBe('Got it. Which weekday suits you best?');
    expect(cut.text.length).toBeLessThan(cut.fullText!.length);
    expect(cut.fullText!.startsWith(cut.text)).toBe(true);
    // The caller's interruption is their turn; the agent then asks the question it was cut off on.
    const after = result.transcript.slice(result.transcript.indexOf(cut) + 1);
    expect(after[0]).toMatchObject({ speaker: 'caller', text: 'Sorry, Wednesday would be better for me.' });
    expect(after[1]).toMatchObject({ speaker: 'agent', text: 'Sorry, go ahead. Which weekday suits you best?' });
    expect(result.stats.interruptions).toBe(1);
  });

  it('stops for a one-word command ("Wait."), and says how long deciding took', () => {
    const { result, clears } = calls['says-wait']!;
    expect(clears).toHaveLength(1);
    const cut = agentTurns(result).find((t) => t.interrupted)!;
    expect(cut.fullText).toBe('Got it. Which weekday suits you best?');
    const after = result.transcript.slice(result.transcript.indexOf(cut) + 1);
    expect(after[0]).toMatchObject({ speaker: 'caller', text: 'Wait.' });
    expect(after[1]).toMatchObject({ speaker: 'agent', text: 'Sorry, go ahead. Which weekday suits you best?' });
    const decided = result.latencies.find((l) => l.interruptDecisionMs !== null)!;
    expect(decided.interruptDecisionMs).toBeGreaterThan(0);
    expect(decided.interruptDecisionMs).toBeLessThan(1_500);
    // Replies to turns that began in silence decided nothing.
    expect(result.latencies.filter((l) => l.interruptDecisionMs === null).length).toBeGreaterThanOrEqual(2);
  });

  it('ignores a backchannel: the agent keeps talking', () => {
    const { result, backchannels, clears, leg } = calls.backchanneler!;
    expect(backchannels).toEqual(['uh-huh']);
    expect(clears).toHaveLength(0);
    expect(agentTurns(result).every((t) => !t.interrupted)).toBe(true);
    expect(callerTurns(result).map((t) => t.text)).toEqual(['Yes please.', 'Monday is fine.', 'Late afternoon.']);
    expect(leg.reference.spans.map((s) => s.text)).toContain('uh-huh');
  });

  it('does not cut off a caller reading a phone number with pauses', () => {
    const { result } = calls['number-reader']!;
    const first = callerTurns(result)[0]!;
    expect(first.text).toBe('Sure, my number is 5 5 5, 8 6 7, 5 3 0 9.');
    // The agent answered once, after the whole number, not after each group.
    expect(agentTurns(result)[1]!.text).toBe('Got it. Which weekday suits you best?');
    expect(result.latencies[0]!.endpointReason).toBe('default');
  });

  it('measures every reply: stages add up to end of speech -> first audio byte', () => {
    for (const { result } of Object.values(calls)) {
      expect(result.latencies.length).toBeGreaterThanOrEqual(3);
      for (const l of result.latencies) {
        const sum = l.endpointMs + l.sttMs + l.llmFirstTokenMs + l.ttsFirstChunkMs + l.transportMs;
        expect(Math.abs(sum - l.totalMs)).toBeLessThan(0.5);
        expect(l.endpointMs).toBeGreaterThanOrEqual(590);
        expect(l.totalMs).toBeLessThan(3_000);
      }
      expect(result.stats.realTimeFactor).toBeLessThan(1);
    }
  });
});
