import type { IncomingCall } from '../../ports/telephony';
import type { RtpMedia } from '../rtp/types';
import { callerNumber, parseUri, randomToken } from './address';
import { Dialog } from './dialog';
import { negotiate, parseSdp, SdpError } from './sdp';
import type { SipLeg } from './sip-leg';
import type { ServerTransaction } from './transactions';
import { ALLOW } from './user-agent';

const REJECT_STATUS = { busy: [486, 'Busy Here'], decline: [603, 'Decline'], unavailable: [480, 'Temporarily Unavailable'] } as const;

/**
 * Checks an incoming INVITE's offer before anyone is bothered: a body that does not parse gets 400,
 * an offer with no codec in common gets 488. Returns the reason when refused.
 */
export function screenOffer(tx: ServerTransaction, codecs: Parameters<typeof negotiate>[1]): string | undefined {
  const body = tx.request.body;
  if (!body.trim()) return undefined;
  try {
    if (!negotiate(parseSdp(body), codecs, false)) {
      const response = tx.reply(488, 'Not Acceptable Here', randomToken(6));
      tx.respond(response);
      return 'no common codec in the offer (488)';
    }
  } catch (error) {
    const reason = error instanceof SdpError ? error.message : String(error);
    tx.respond(tx.reply(400, 'Bad SDP', randomToken(6)));
    return `bad SDP (${reason})`;
  }
  return undefined;
}

/**
 * An INVITE that is ringing at Parley: 180 is sent, and the IncomingCall it becomes answers with
 * our SDP (200 OK) or refuses. A CANCEL from the caller ends it with 487.
 */
export class PendingInbound {
  /** A final response has been sent (or the leg ended). */
  private settled = false;
  private accepting = false;
  private readonly localTag = randomToken(6);
  private readonly ringLimit: ReturnType<typeof setTimeout>;

  constructor(
    private readonly tx: ServerTransaction,
    readonly leg: SipLeg,
    private readonly openMedia: () => Promise<RtpMedia>,
    ringLimitMs: number,
  ) {
    leg.dialog = Dialog.fromIncoming(tx.request, this.localTag);
    leg.status = 'early';
    leg.abortSetup = () => this.refuse(603, 'Decline', 'agent');
    tx.respond(tx.reply(180, 'Ringing', this.localTag));
    // Nobody took the call in time: the caller hears 480 rather than ringing forever.
    this.ringLimit = setTimeout(() => {
      leg.context.logger.info({ callId: leg.id }, 'incoming call not answered in time (480)');
      void this.refuse(480, 'Temporarily Unavailable', 'agent');
    }, ringLimitMs);
  }

  get callId(): string {
    return this.leg.dialog!.callId;
  }

  toIncomingCall(): IncomingCall {
    const request = this.tx.request;
    const asserted = request.headers.get('p-asserted-identity');
    return {
      leg: this.leg,
      from: callerNumber(asserted ?? request.headers.get('from')),
      to: parseUri(request.uri)?.user ?? request.uri,
      accept: () => this.accept(),
      reject: async (reason, detail) => {
        this.leg.context.logger.info({ callId: this.leg.id, reason, detail }, `incoming call refused (${reason})`);
        const [status, phrase] = REJECT_STATUS[reason];
        await this.refuse(status, phrase, 'agent');
      },
    };
  }

  private async accept(): Promise<void> {
    if (this.settled || this.accepting || this.leg.ended) throw new Error('This call is no longer ringing');
    this.accepting = true;
    const media = await this.openMedia();
    // The caller may have gone (CANCEL) or the agent refused while the RTP port was opening.
    if (this.settled || this.leg.ended) {
      await media.close();
      throw new Error('The call ended before it was answered');
    }
    this.settled = true;
    clearTimeout(this.ringLimit);
    this.leg.attachMedia(media);
    let body: string;
    if (this.tx.request.body.trim()) {
      const applied = this.leg.applyRemoteSdp(this.tx.request.body, false);
      if (!applied.ok) {
        this.tx.respond(this.tx.reply(488, 'Not Acceptable Here', this.localTag));
        this.leg.finish({ type: 'failed', reason: applied.reason });
        throw new Error(`Incoming call not answered: ${applied.reason}`);
      }
      body = this.leg.localSdp(applied.direction, applied.dtmf, [applied.codec]);
    } else {
      body = this.leg.localSdp('sendrecv');
    }
    const response = this.tx.reply(200, 'OK', this.localTag);
    response.headers.append('contact', this.leg.context.ua.contact()).append('allow', ALLOW).append('content-type', 'application/sdp');
    response.body = body;
    this.tx.respond(response);
    this.leg.status = 'confirmed';
    this.leg.abortSetup = undefined;
    this.leg.emit({ type: 'answered', by: 'human' });
  }

  /** The caller gave up (CANCEL). */
  cancelled(): void {
    void this.refuse(487, 'Request Terminated', 'caller');
  }

  private async refuse(status: number, phrase: string, by: 'agent' | 'caller'): Promise<void> {
    if (this.settled || this.leg.ended) return;
    this.settled = true;
    clearTimeout(this.ringLimit);
    this.tx.respond(this.tx.reply(status, phrase, this.localTag));
    this.leg.finish({ type: 'hangup', by });
  }
}
