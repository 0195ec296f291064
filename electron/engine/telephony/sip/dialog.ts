import { newBranch, parseNameAddr, tagOf } from './address';
import type { SipRequest, SipResponse } from './message';
import type { UserAgent } from './user-agent';

/** One SIP dialog (RFC 3261 12): identifiers, route set, remote target and our CSeq counter. */
export class Dialog {
  remoteTag: string | undefined;
  remoteTarget: string;
  routes: string[] = [];
  /** Header values as we send them: our side (with our tag) and theirs. */
  localHeader: string;
  remoteHeader: string;
  private cseq: number;

  constructor(
    readonly callId: string,
    readonly localTag: string,
    localHeader: string,
    remoteHeader: string,
    remoteTarget: string,
    firstCSeq: number,
  ) {
    this.localHeader = localHeader;
    this.remoteHeader = remoteHeader;
    this.remoteTarget = remoteTarget;
    this.cseq = firstCSeq;
  }

  /** The dialog as the UAS of an INVITE sees it (routes in Record-Route order). */
  static fromIncoming(invite: SipRequest, localTag: string): Dialog {
    const to = invite.headers.get('to') ?? '';
    const dialog = new Dialog(
      invite.headers.get('call-id') ?? '',
      localTag,
      /;\s*tag=/i.test(to) ? to : `${to};tag=${localTag}`,
      invite.headers.get('from') ?? '',
      contactUri(invite.headers.get('contact')) ?? invite.uri,
      1,
    );
    dialog.remoteTag = tagOf(invite.headers.get('from'));
    dialog.routes = invite.headers.all('record-route');
    return dialog;
  }

  /** Completes a dialog we started from a 18x/2xx (routes in reverse Record-Route order). */
  confirmFrom(response: SipResponse): void {
    const to = response.headers.get('to');
    if (to) this.remoteHeader = to;
    this.remoteTag = tagOf(to);
    this.remoteTarget = contactUri(response.headers.get('contact')) ?? this.remoteTarget;
    this.routes = response.headers.all('record-route').reverse();
  }

  nextCSeq(): number {
    this.cseq += 1;
    return this.cseq;
  }

  get currentCSeq(): number {
    return this.cseq;
  }

  request(ua: UserAgent, method: string, options: { cseq?: number; body?: { type: string; content: string }; extra?: Array<[string, string]> } = {}): SipRequest {
    return ua.request(method, this.remoteTarget, {
      callId: this.callId,
      from: this.localHeader,
      to: this.remoteHeader,
      cseq: options.cseq ?? this.nextCSeq(),
      routes: this.routes,
      body: options.body,
      extra: options.extra,
    });
  }

  /** ACK for a 2xx to our INVITE: its own branch, the INVITE's CSeq number. */
  ack(ua: UserAgent, inviteCSeq: number, body?: { type: string; content: string }): SipRequest {
    const ack = this.request(ua, 'ACK', { cseq: inviteCSeq, body });
    ack.headers.replaceFirst('via', ua.via(newBranch()));
    return ack;
  }
}

export function contactUri(value: string | undefined): string | undefined {
  return value ? parseNameAddr(value)?.uri : undefined;
}
