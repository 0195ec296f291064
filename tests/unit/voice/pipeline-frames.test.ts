import { describe, expect, it } from 'vitest';
import type { Direction, Frame } from '../../../electron/engine/voice/frames';
import { FrameProcessor, Pipeline } from '../../../electron/engine/voice/processor';
import { SpeechHandle } from '../../../electron/engine/voice/speech-handle';

/** Holds each ordered frame until released, to see what overtakes what. */
class SlowStage extends FrameProcessor {
  readonly seen: string[] = [];
  private release: (() => void) | undefined;
  aborted = 0;
  constructor() {
    super('slow');
  }
  protected override async process(frame: Frame, direction: Direction): Promise<void> {
    this.seen.push(frame.type);
    if (frame.kind !== 'system') {
      const signal = this.signal;
      await new Promise<void>((resolve) => {
        this.release = resolve;
        signal.addEventListener('abort', () => {
          this.aborted++;
          resolve();
        });
      });
    }
    this.push(frame, direction);
  }
  next(): void {
    const r = this.release;
    this.release = undefined;
    r?.();
  }
}

class Sink extends FrameProcessor {
  readonly got: string[] = [];
  constructor() {
    super('sink');
  }
  protected override process(frame: Frame): void {
    this.got.push(frame.type);
  }
}

const handle = new SpeechHandle('reply', 8000);
const text = (t: string): Frame => ({ kind: 'data', type: 'agent-text', handle, text: t });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('frames and processors', () => {
  it('lets system frames overtake data that is queued or being worked on', async () => {
    const slow = new SlowStage();
    const sink = new Sink();
    new Pipeline([slow, sink]);
    slow.queueFrame(text('one'));
    slow.queueFrame(text('two'));
    slow.queueFrame({ kind: 'system', type: 'start' });
    await tick();
    expect(sink.got).toEqual(['start']);
    slow.next();
    await tick();
    slow.next();
    await tick();
    expect(sink.got).toEqual(['start', 'agent-text', 'agent-text']);
  });

  it('drops queued data frames on interruption, keeps control frames, and aborts work in progress', async () => {
    const slow = new SlowStage();
    const sink = new Sink();
    new Pipeline([slow, sink]);
    slow.queueFrame(text('in progress'));
    slow.queueFrame(text('queued'));
    slow.queueFrame({ kind: 'control', type: 'end', reason: 'test' });
    await tick();
    slow.queueFrame({ kind: 'system', type: 'interruption', at: 0 });
    await tick();
    expect(slow.aborted).toBe(1);
    slow.next(); // the end frame
    await tick();
    // The interrupted frame finished its (aborted) work; the queued one never ran; `end` survived.
    expect(slow.seen.filter((t) => t === 'agent-text')).toHaveLength(1);
    expect(sink.got).toContain('interruption');
    expect(sink.got).toContain('end');
  });

  it('sends upstream frames the other way and shows every push to observers', async () => {
    const seen: string[] = [];
    const first = new Sink();
    class Bouncer extends FrameProcessor {
      constructor() {
        super('bouncer');
      }
      protected override process(frame: Frame): void {
        this.push({ kind: 'system', type: 'error', stage: 'x', message: `${frame.type}`, fatal: false }, 'upstream');
      }
    }
    const pipeline = new Pipeline([first, new Bouncer()], { observers: [{ onFrame: (f, from, dir) => seen.push(`${from}:${f.type}:${dir}`) }] });
    // Sink does not pass frames on, so feed the bouncer directly.
    pipeline.processors[1]!.queueFrame({ kind: 'system', type: 'start' });
    await tick();
    expect(first.got).toEqual(['error']);
    expect(seen).toEqual(['bouncer:error:upstream']);
  });

  it('reports a processor that throws instead of crashing the pipeline', async () => {
    const errors: string[] = [];
    class Broken extends FrameProcessor {
      constructor() {
        super('broken');
      }
      protected override process(): void {
        throw new Error('boom');
      }
    }
    const broken = new Broken();
    new Pipeline([broken], { onError: (name, error) => errors.push(`${name}: ${(error as Error).message}`) });
    broken.queueFrame(text('x'));
    broken.queueFrame({ kind: 'system', type: 'start' });
    await tick();
    expect(errors).toEqual(['broken: boom', 'broken: boom']);
  });
});

describe('SpeechHandle', () => {
  it('keeps whole played segments and the played share of the cut one, at a word boundary', () => {
    const h = new SpeechHandle('reply', 8000);
    const a = h.addSegment('Thank you.');
    h.addAudio(a, 8000);
    h.completeSegment(a);
    const b = h.addSegment('Which weekday suits you best this week?');
    h.addAudio(b, 16000);
    h.completeSegment(b);
    h.setPlayed(8000 + 8000); // half of the second sentence
    const outcome = h.interrupt();
    expect(outcome.interrupted).toBe(true);
    expect(outcome.heardText).toBe('Thank you. Which weekday suits');
    expect(outcome.fullText).toBe('Thank you. Which weekday suits you best this week?');
    expect(h.finish().interrupted).toBe(true); // closing twice keeps the first verdict
  });

  it('is heard in full when it finished playing', async () => {
    const h = new SpeechHandle('reply', 8000);
    h.addSegment('Hello there.');
    h.finish();
    expect((await h.done).heardText).toBe('Hello there.');
  });
});
