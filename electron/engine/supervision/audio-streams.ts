import { randomUUID } from 'node:crypto';
import { ParleyError, type AudioFrame, type AudioStreamTicket } from '../../contracts';

/** Where the engine sends a stream's frames: a WebSocket, a MessagePort, a test. */
export interface AudioSink {
  send(frame: AudioFrame): void;
  /** The engine ends the stream (the call is over, control was handed back). */
  close(reason: string): void;
}

/** The engine's end of one open stream. */
export interface AudioStream {
  /** A frame from the client (microphone audio). */
  receive(frame: AudioFrame): void;
  /** The client's side went away (socket or port closed). */
  closed(): void;
}

export type StreamOpener = (sink: AudioSink) => AudioStream;

interface Pending {
  callId: string;
  opener: StreamOpener;
  onUnused?: () => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Audio streams are opened in two steps: a contract command (listen, barge, take over, softphone)
 * is checked, logged and answered with a single-use ticket; the console then presents the ticket
 * on its binary channel. Audio itself never passes through the JSON contract.
 */
export class AudioStreamHub {
  private readonly pending = new Map<string, Pending>();
  private readonly now: () => number;

  constructor(private readonly options: { ttlMs: number; now?: () => number } = { ttlMs: 15_000 }) {
    this.now = options.now ?? Date.now;
  }

  /** A ticket for one stream; `onUnused` runs when it expires without being opened. */
  issue(callId: string, opener: StreamOpener, onUnused?: () => void): AudioStreamTicket {
    const token = randomUUID();
    const timer = setTimeout(() => {
      if (!this.pending.delete(token)) return;
      onUnused?.();
    }, this.options.ttlMs);
    timer.unref?.();
    this.pending.set(token, { callId, opener, onUnused, timer });
    return { token, callId, expiresAt: new Date(this.now() + this.options.ttlMs).toISOString() };
  }

  /** Opens the stream a ticket allows; a ticket works once. */
  open(token: string, sink: AudioSink): AudioStream {
    const ticket = this.pending.get(token);
    if (!ticket) throw new ParleyError('not_found', 'This audio stream ticket is unknown, used or expired; ask for a new one');
    this.pending.delete(token);
    clearTimeout(ticket.timer);
    return ticket.opener(sink);
  }

  /** The call of this ticket ended before it was opened. */
  revoke(token: string): void {
    const ticket = this.pending.get(token);
    if (!ticket) return;
    this.pending.delete(token);
    clearTimeout(ticket.timer);
  }

  revokeCall(callId: string): void {
    for (const [token, ticket] of this.pending) if (ticket.callId === callId) this.revoke(token);
  }

  dispose(): void {
    for (const ticket of this.pending.values()) clearTimeout(ticket.timer);
    this.pending.clear();
  }
}
