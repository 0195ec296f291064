import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINTING, endpointDelay, isBackchannel, wordCount } from '../../../electron/engine/voice/endpointing';
import { SentenceSplitter } from '../../../electron/engine/voice/sentences';
import { ReferenceTimeline, ReferenceTranscriptStt } from '../../../electron/engine/telephony/simulated/reference-transcript';

describe('adaptive endpointing', () => {
  const { silenceMs, extendedSilenceMs } = DEFAULT_ENDPOINTING;
  it.each([
    ['Yes, that sounds good.', silenceMs, 'default'],
    ['My number is 5 5 5', extendedSilenceMs, 'digits'],
    ['my number is five five five, eight six seven', extendedSilenceMs, 'digits'],
    ['5 5 5 8 6 7 5 3 0 9', silenceMs, 'default'],
    ['I would like a morning slot and', extendedSilenceMs, 'conjunction'],
    ['Let me think, um', extendedSilenceMs, 'filler'],
    ['Tuesday,', extendedSilenceMs, 'trailing-comma'],
    ['Tuesday', silenceMs, 'default'],
  ])('%s -> %i ms (%s)', (text, delay, reason) => {
    expect(endpointDelay(text)).toEqual({ delayMs: delay, reason });
  });

  it('waits the default while the transcript is not ready, and never beyond the bound', () => {
    expect(endpointDelay(undefined).delayMs).toBe(silenceMs);
    expect(endpointDelay('call me at 5 5 5', { silenceMs: 600, extendedSilenceMs: 9_000, maxSilenceMs: 2_000 }).delayMs).toBe(2_000);
  });

  it('tells backchannels from real interruptions', () => {
    for (const text of ['uh-huh', 'Yeah.', 'ok', 'mm hmm', 'yeah, ok', 'Right.']) expect(isBackchannel(text), text).toBe(true);
    for (const text of ['Sorry, who is this?', 'Wednesday would be better', 'no']) expect(isBackchannel(text), text).toBe(false);
    expect(wordCount('Sorry, Wednesday would be better.')).toBe(5);
  });
});

describe('SentenceSplitter', () => {
  it('hands over the first clause as soon as it is complete, then whole sentences', () => {
    const s = new SentenceSplitter();
    expect(s.push('Thanks for')).toEqual([]);
    expect(s.push(' waiting, I have')).toEqual(['Thanks for waiting,']);
    expect(s.push(' your file, here. It costs 3.5')).toEqual(['I have your file, here.']);
    expect(s.push(' dollars! Bye')).toEqual(['It costs 3.5 dollars!']);
    expect(s.flush()).toEqual(['Bye']);
  });

  it('does not cut a short first clause ("Yes, ...")', () => {
    const s = new SentenceSplitter();
    expect(s.push('Yes, of course. ')).toEqual(['Yes, of course.']);
  });
});

describe('reference transcript', () => {
  it('returns what was said in a segment, words in proportion, none lost or repeated across segments', async () => {
    const timeline = new ReferenceTimeline();
    timeline.add({ text: 'Tuesday works best for me.', startMs: 1000, endMs: 2000 });
    timeline.add({ text: 'Thanks.', startMs: 3000, endMs: 3400 });
    const stt = new ReferenceTranscriptStt(timeline);
    // An interim look at the first 40%, then the final segment from the same start.
    expect((await stt.transcribe(new Int16Array(0), { segment: { startMs: 900, endMs: 1400 } })).text).toBe('Tuesday works');
    expect((await stt.transcribe(new Int16Array(0), { segment: { startMs: 900, endMs: 1450 } })).text).toBe('Tuesday works');
    // The next segment starts after a gap: the word in the gap still comes through, once.
    expect((await stt.transcribe(new Int16Array(0), { segment: { startMs: 1700, endMs: 2300 } })).text).toBe('best for me.');
    expect((await stt.transcribe(new Int16Array(0), { segment: { startMs: 2900, endMs: 3500 } })).text).toBe('Thanks.');
    await expect(stt.transcribe(new Int16Array(0))).rejects.toThrow(/segment position/);
  });
});
