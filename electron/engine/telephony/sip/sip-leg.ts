import type { Codec } from '../../../contracts';
import type { Logger } from '../../logging';
import type { CallLeg, CallLegEvent } from '../../ports/telephony';
import type { RtpMedia } from '../rtp/types';
import type { Dialog } from './dialog';
import type { SipRequest, SipResponse } from './message';
import { answerDirection, buildSdp, isHold, negotiate, parseSdp, remoteEndpoint, SdpError, type MediaDirection } from './sdp';
import type { ServerTransaction } from './transactions';
import { ALLOW, type UserAgent } from './user-agent';
import { Listeners } from '../listeners';

export interface LegContext {
  ua: UserAgent;
  codecs: readonly Codec[];
  logger: Logger;
  /** How long to wait for a BYE or NOTIFY answer before carrying on. */
  requestTimeoutMs: number;
  /** How long a transfer waits for the far end's final NOTIFY. */
  transferTimeoutMs: number;
  /** Called once when the leg has ended, whatever the cause. */
  onEnded(leg: SipLeg): void;
}

export type LegStatus = 'calling' | 'early' | 'confirmed' | 'ended';

/**
 * One SIP call as a CallLeg: the dialog, the media session and the in-dialog requests both ways
 * (BYE, re-INVITE hold, INFO DTMF, REFER and its NOTIFYs). How the call starts lives in
 * outbound-call.ts and inbound-call.ts.
 */
export class SipLeg implements CallLeg {
  readonly sampleRate = 8_000;
  status: LegStatus = 'calling';
  dialog: Dialog | undefined;
  media: RtpMedia | undefined;
  private readonly audioListeners = new Listeners<Int16Array>();
  private readonly eventListeners = new Listeners<CallLegEvent>((error) => this.context.logger.error({ err: (error as Error).message, callId: this.id }, 'call leg listener failed'));
  private readonly mediaUnsubscribers: Array<() => void> = [];
  private held = false;
  private sdpVersion = 0;
  private readonly sessionId = Math.floor(Math.random() * 1e9);
  private transferWaiter: { resolve: (status: number, line: string) => void } | undefined;
  /** What the outbound or inbound setup does when the agent hangs up before the call is up. */
  abortSetup: (() => Promise<void>) | undefined;

  constructor(
    readonly id: string,
    readonly context: LegContext,
  ) {}

  get ended(): boolean {
    return this.status === 'ended';
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    return this.audioListeners.add(listener);
  }

  onEvent(listener: (event: CallLegEvent) => void): () => void {
    return this.eventListeners.add(listener);
  }

  emit(event: CallLegEvent): void {
    this.eventListeners.emit(event);
  }

  attachMedia(media: RtpMedia): void {
    this.media = media;
    this.mediaUnsubscribers.push(
      media.onAudio((frame) => {
        this.audioListeners.emit(frame);
      }),
      media.onDtmf((digit) => this.emit({ type: 'dtmf', digits: digit })),
      media.onMark((name) => this.emit({ type: 'mark', name })),
    );
  }

  sendAudio(frame: Int16Array): void {
    if (this.status !== 'ended') this.media?.sendAudio(frame);
  }

  mark(name: string): void {
    if (this.media && this.status !== 'ended') this.media.mark(name);
    else queueMicrotask(() => this.emit({ type: 'mark', name }));
  }

  clear(): void {
    this.media?.clear();
  }

  sendDtmf(digits: string): void {
    if (!this.media || this.status !== 'confirmed') return;
    this.media.sendDtmf(digits).catch((error: Error) => this.context.logger.warn({ err: error.message, callId: this.id }, 'DTMF could not be sent'));
  }

  /** Our SDP with the media session's address and the codecs of the line. */
  localSdp(direction: MediaDirection, dtmfPayloadType?: number | null, codecs: readonly Codec[] = this.context.codecs): string {
    const local = this.media!.local;
    return buildSdp({ sessionId: this.sessionId, version: this.sdpVersion++, address: local.address, port: local.port, codecs, direction, dtmfPayloadType });
  }

  /** Applies the far end's SDP to the media session. Returns false (with the reason logged) if unusable. */
  applyRemoteSdp(body: string, isAnswer: boolean): { ok: true; direction: MediaDirection; dtmf: number | null; codec: Codec } | { ok: false; reason: string } {
    try {
      const sdp = parseSdp(body);
      const format = negotiate(sdp, this.context.codecs, isAnswer);
      if (!format) return { ok: false, reason: 'no common codec' };
      // Old-style hold (c=0.0.0.0) or a refused stream (port 0) keeps the address we had.
      if (sdp.connection !== '0.0.0.0' && sdp.port !== 0) this.media?.setRemote(remoteEndpoint(sdp), format);
      const held = isHold(sdp);
      const ours = held && sdp.direction === 'sendrecv' ? 'inactive' : answerDirection(sdp.direction);
      this.media?.setDirection(ours);
      if (held !== this.held && this.status === 'confirmed') {
        this.held = held;
        this.emit({ type: 'hold', held });
      }
      this.held = held;
      return { ok: true, direction: ours, dtmf: format.dtmfPayloadType, codec: format.codec };
    } catch (error) {
      return { ok: false, reason: error instanceof SdpError ? `bad SDP: ${error.message}` : String(error) };
    }
  }

  /** Requests inside the dialog, from the far end. */
  handleRequest(tx: ServerTransaction): void {
    const { request } = tx;
    switch (request.method) {
      case 'BYE':
        tx.respond(tx.reply(200, 'OK'));
        this.finish({ type: 'hangup', by: 'caller' });
        return;
      case 'INVITE':
        this.answerReinvite(tx);
        return;
      case 'INFO':
        this.receiveInfo(tx);
        return;
      case 'NOTIFY':
        this.receiveNotify(tx);
        return;
      case 'OPTIONS': {
        const response = tx.reply(200, 'OK');
        response.headers.append('allow', ALLOW);
        tx.respond(response);
        return;
      }
      case 'UPDATE':
      case 'PRACK':
      case 'MESSAGE':
      case 'SUBSCRIBE':
      default: {
        const response = tx.reply(501, 'Not Implemented');
        response.headers.append('allow', ALLOW);
        tx.respond(response);
      }
    }
  }

  private answerReinvite(tx: ServerTransaction): void {
    if (this.status !== 'confirmed' || !this.media) {
      tx.respond(tx.reply(491, 'Request Pending'));
      return;
    }
    let body: string;
    if (tx.request.body.trim()) {
      const applied = this.applyRemoteSdp(tx.request.body, false);
      if (!applied.ok) {
        this.context.logger.warn({ callId: this.id, reason: applied.reason }, `re-INVITE refused: ${applied.reason}`);
        tx.respond(tx.reply(488, 'Not Acceptable Here'));
        return;
      }
      body = this.localSdp(applied.direction, applied.dtmf, [applied.codec]);
    } else {
      body = this.localSdp(this.held ? 'recvonly' : 'sendrecv');
    }
    const response = tx.reply(200, 'OK', this.dialog?.localTag);
    response.headers.append('contact', this.context.ua.contact()).append('allow', ALLOW).append('content-type', 'application/sdp');
    response.body = body;
    tx.respond(response);
  }

  /** ACK to a 2xx we sent; a late offer's answer arrives here. */
  receiveAck(request: SipRequest): void {
    if (request.body.trim()) {
      const applied = this.applyRemoteSdp(request.body, true);
      if (!applied.ok) this.context.logger.warn({ callId: this.id, reason: applied.reason }, `SDP in ACK unusable: ${applied.reason}`);
    }
  }

  private receiveInfo(tx: ServerTransaction): void {
    const type = (tx.request.headers.get('content-type') ?? '').toLowerCase();
    const body = tx.request.body;
    let digit: string | undefined;
    if (type.startsWith('application/dtmf-relay')) digit = /^\s*Signal\s*=\s*([0-9A-D*#])\s*$/im.exec(body)?.[1];
    else if (type.startsWith('application/dtmf')) digit = /^\s*([0-9A-D*#])\s*$/i.exec(body)?.[1];
    tx.respond(tx.reply(200, 'OK'));
    if (digit) this.emit({ type: 'dtmf', digits: digit.toUpperCase() });
  }

  private receiveNotify(tx: ServerTransaction): void {
    tx.respond(tx.reply(200, 'OK'));
    const event = (tx.request.headers.get('event') ?? '').toLowerCase();
    if (!event.startsWith('refer')) return;
    const frag = /^SIP\/2\.0 (\d{3})[^\r\n]*/m.exec(tx.request.body);
    if (!frag) return;
    const status = Number(frag[1]);
    if (status >= 200) this.transferWaiter?.resolve(status, frag[0].trim());
  }

  /** Sends an in-dialog request and waits (bounded) for the final answer. */
  async inDialog(method: string, options: { body?: { type: string; content: string }; extra?: Array<[string, string]> } = {}): Promise<SipResponse | undefined> {
    const dialog = this.dialog;
    if (!dialog) return undefined;
    const request = dialog.request(this.context.ua, method, options);
    const to = await this.context.ua.destinationFor(dialog.remoteTarget, dialog.routes);
    return withTimeout(this.context.ua.send(request, to), this.context.requestTimeoutMs);
  }

  /** Puts the far end on hold (a=sendonly) or takes it off (a=sendrecv) with a re-INVITE. */
  async hold(held: boolean): Promise<void> {
    if (this.status !== 'confirmed' || !this.media || !this.dialog) throw new Error('The call is not connected');
    const direction: MediaDirection = held ? 'sendonly' : 'sendrecv';
    const cseq = this.dialog.nextCSeq();
    const invite = this.dialog.request(this.context.ua, 'INVITE', { cseq, body: { type: 'application/sdp', content: this.localSdp(direction) } });
    const to = await this.context.ua.destinationFor(this.dialog.remoteTarget, this.dialog.routes);
    const response = await withTimeout(this.context.ua.send(invite, to), this.context.requestTimeoutMs);
    if (!response || response.status >= 300) throw new Error(`hold refused: ${response ? `${response.status} ${response.reason}` : 'no answer'}`);
    const ack = this.dialog.ack(this.context.ua, cseq);
    this.context.ua.layer.rememberAck(this.dialog.callId, cseq, ack, to);
    await this.context.ua.layer.sendRaw(ack, to);
    this.media.setDirection(direction);
  }

  async transfer(target: string): Promise<void> {
    if (this.status !== 'confirmed') throw new Error('Only a connected call can be transferred');
    const referTo = this.context.ua.uriFor(target);
    const finalNotify = new Promise<{ status: number; line: string }>((resolve) => {
      this.transferWaiter = { resolve: (status, line) => resolve({ status, line }) };
    });
    const response = await this.inDialog('REFER', { extra: [['refer-to', `<${referTo}>`], ['referred-by', `<${this.context.ua.aor}>`]] });
    if (!response || response.status >= 300) {
      this.transferWaiter = undefined;
      throw new Error(`Transfer to ${target} refused: ${response ? `${response.status} ${response.reason}` : 'no answer'}`);
    }
    const outcome = await withTimeout(finalNotify, this.context.transferTimeoutMs);
    this.transferWaiter = undefined;
    if (!outcome) throw new Error(`Transfer to ${target}: no final progress report from the far end`);
    if (outcome.status >= 300) throw new Error(`Transfer to ${target} failed: ${outcome.line.replace(/^SIP\/2\.0 /, '')}`);
    await this.inDialog('BYE').catch(() => undefined);
    this.finish({ type: 'hangup', by: 'agent' });
  }

  async hangup(): Promise<void> {
    if (this.status === 'ended') return;
    if (this.status !== 'confirmed') {
      await this.abortSetup?.();
      return;
    }
    this.finish({ type: 'hangup', by: 'agent' });
    await this.inDialog('BYE').catch((error: Error) => this.context.logger.warn({ callId: this.id, err: error.message }, 'BYE not answered'));
  }

  /** Ends the leg once: closes media, emits the last event, tells the line. */
  finish(event: CallLegEvent): void {
    if (this.status === 'ended') return;
    this.status = 'ended';
    for (const off of this.mediaUnsubscribers.splice(0)) off();
    const media = this.media;
    if (media) media.close().catch((error: Error) => this.context.logger.warn({ err: error.message }, 'RTP session close failed'));
    this.emit(event);
    this.context.onEnded(this);
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
