import { describe, expect, it } from 'vitest';
import type { SpeechToText } from '../../../electron/engine/ports/speech';
import { isBackchannel, isShortCommand } from '../../../electron/engine/voice/endpointing';
import type { Frame, FrameOf } from '../../../electron/engine/voice/frames';
import { TranscriptObserver, type TranscriptTurn } from '../../../electron/engine/voice/observers';
import { SpeechHandle } from '../../../electron/engine/voice/speech-handle';
import { DEFAULT_TURN_OPTIONS, UserTurnProcessor } from '../../../electron/engine/voice/user-turn-processor';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A recognizer that hears the next line of `said` for each segment it is given. */
function scriptedStt(said: string[]): SpeechToText {
  return {
    name: 'scripted',
    capabilities: { languages: ['en'], gpu: false },
    transcribe: async () => ({ text: said.shift() ?? '' }),
    dispose: async () => undefined,
  };
}

/** Turn-taking with short waits, fed frames by hand; every frame it pushes is kept. */
function turns(said: string[]) {
  const processor = new UserTurnProcessor(scriptedStt(said), {
    ...DEFAULT_TURN_OPTIONS,
    endpointing: { silenceMs: 40, extendedSilenceMs: 40, maxSilenceMs: 40 },
    mergeWindowMs: 2_500,
  });
  const out: Frame[] = [];
  const transcript: TranscriptTurn[] = [];
  const observer = new TranscriptObserver((turn) => transcript.push({ ...turn }));
  processor.observer = {
    onFrame: (frame, from, direction) => {
      out.push(frame);
      observer.onFrame(frame, from, direction);
    },
  };
  let streamMs = 0;
  const speak = async (ms: number) => {
    processor.queueFrame({ kind: 'system', type: 'vad-speech-start', streamMs, at: performance.now() });
    for (let t = 0; t < ms; t += 20) {
      processor.queueFrame({ kind: 'system', type: 'input-audio', samples: new Int16Array(320), streamMs, receivedAt: performance.now() });
      streamMs += 20;
    }
    processor.queueFrame({ kind: 'system', type: 'vad-speech-stop', streamMs, at: performance.now() });
    await processor.whenIdle();
  };
  const agentSpeaks = () => processor.queueFrame({ kind: 'system', type: 'bot-started-speaking', handle: new SpeechHandle('reply', 8_000) });
  const of = <T extends Frame['type']>(type: T) => out.filter((f): f is FrameOf<T> => f.type === type);
  return { processor, speak, agentSpeaks, of, transcript };
}

describe('barge-in: short commands interrupt, backchannels do not', () => {
  it.each(['No.', 'Stop!', 'Wait.', 'Hold on.', 'Hang on', 'Not now.', 'No, no.', 'Wait a second.'])('"%s" is a command', (text) => {
    expect(isShortCommand(text)).toBe(true);
    expect(isBackchannel(text)).toBe(false);
  });

  it.each(['uh-huh', 'Yeah.', 'ok', 'Right.', 'mm-hm', 'Mm hmm.'])('"%s" is a backchannel', (text) => {
    expect(isShortCommand(text)).toBe(false);
    expect(isBackchannel(text)).toBe(true);
  });

  it('stops the agent on a one-word "No." and records how long deciding took', async () => {
    const t = turns(['No.']);
    t.agentSpeaks();
    await t.speak(200);
    await sleep(120);
    expect(t.of('interruption')).toHaveLength(1);
    const turn = t.of('user-turn')[0]!;
    expect(turn.text).toBe('No.');
    expect(turn.timing.interruptDecisionMs).toBeGreaterThanOrEqual(0);
    expect(turn.timing.interruptDecisionMs).toBeLessThan(1_000);
  });

  it('lets "uh-huh" pass: the agent keeps talking', async () => {
    const t = turns(['uh-huh']);
    t.agentSpeaks();
    await t.speak(200);
    await sleep(120);
    expect(t.of('interruption')).toHaveLength(0);
    expect(t.of('backchannel').map((f) => f.text)).toEqual(['uh-huh']);
    expect(t.of('user-turn')).toHaveLength(0);
  });
});

describe('a caller who goes on before the agent answers', () => {
  it('keeps one turn: the longer one replaces the first under the same seq', async () => {
    const t = turns(['I would like Tuesday.', 'Actually, make it Wednesday.']);
    await t.speak(300);
    await sleep(100);
    expect(t.of('user-turn')).toHaveLength(1);
    await t.speak(300); // within the resume window, before any agent audio
    await sleep(100);
    const [, second] = t.of('user-turn');
    expect(second).toMatchObject({ text: 'I would like Tuesday. Actually, make it Wednesday.', continues: true });
    // The transcript sent and stored the turn twice under one seq: the second write replaces the first.
    expect(t.transcript.map((turn) => [turn.seq, turn.text])).toEqual([
      [0, 'I would like Tuesday.'],
      [0, 'I would like Tuesday. Actually, make it Wednesday.'],
    ]);
  });
});
