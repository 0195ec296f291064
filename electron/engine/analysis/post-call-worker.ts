import type { EngineEvent } from '../../contracts';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { Store } from '../storage/database';
import type { CallAnalysisService } from './analysis-service';

export interface PostCallWorkerDeps {
  store: Store;
  events: EventBus;
  logger: Logger;
  analysis: CallAnalysisService;
  /** Resolves when a call's emotion readings are stored, so the analysis sees all of them. */
  emotionSettled?(callId: string): Promise<void>;
}

/** Ended calls without an analysis that a start-up catch-up pass takes at most. */
const CATCH_UP_LIMIT = 500;

/**
 * Analyses every call when it ends (`call.ended` from the voice pipeline), one at a time so a
 * local model is never asked twice at once; and at start-up, calls that ended while the engine was
 * down or before it could analyse them. A failed analysis is logged and retried at the next start.
 */
export class PostCallWorker {
  private queue: Promise<void> = Promise.resolve();
  private readonly pending = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: PostCallWorkerDeps) {}

  start(): void {
    this.unsubscribe ??= this.deps.events.subscribe((event: EngineEvent) => {
      // Unanswered attempts have no conversation to analyse; the dialer's attempt log covers them.
      if (event.name === 'call.ended' && event.payload.outcome !== 'no-answer' && event.payload.outcome !== 'busy') {
        this.enqueue(event.payload.callId);
      }
      // Calls a stopped engine left open, closed by the dialing process at its start: what was said is analysed.
      if (event.name === 'calls.recovered') for (const callId of event.payload.callIds) this.enqueue(callId);
    });
    for (const callId of this.unanalysedCalls()) this.enqueue(callId);
  }

  /** Resolves when everything queued so far has been analysed (or has failed and been logged). */
  idle(): Promise<void> {
    return this.queue;
  }

  private unanalysedCalls(): string[] {
    const rows = this.deps.store.sqlite
      .prepare(
        `SELECT c.id FROM calls c LEFT JOIN call_analysis x ON x.call_id = c.id
         WHERE c.ended_at IS NOT NULL AND x.call_id IS NULL AND coalesce(c.outcome, '') NOT IN ('no-answer', 'busy')
         ORDER BY c.ended_at DESC LIMIT ${CATCH_UP_LIMIT}`,
      )
      .all() as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  private enqueue(callId: string): void {
    if (this.pending.has(callId) || this.stopped) return;
    this.pending.add(callId);
    this.queue = this.queue.then(async () => {
      if (this.stopped) return;
      try {
        await this.deps.emotionSettled?.(callId);
        await this.deps.analysis.analyze(callId);
      } catch (error) {
        this.deps.logger.warn({ err: error, callId }, 'post-call analysis failed; it is retried at the next start');
      } finally {
        this.pending.delete(callId);
      }
    });
  }

  /** Stops taking calls and waits for the one being analysed. */
  async dispose(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.queue;
  }
}
