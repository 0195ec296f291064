import type { CallLegEvent } from '../../ports/telephony';
import { randomToken } from './address';
import { Dialog } from './dialog';
import { parseCSeq, type SipRequest, type SipResponse } from './message';
import { withTimeout, type SipLeg } from './sip-leg';
import { TransactionError, type Destination } from './transactions';
import { ALLOW, AuthFailure } from './user-agent';

/** The final answer to our INVITE as the call leg event the dialer understands. */
export function eventForFailure(response: SipResponse): CallLegEvent {
  const text = `${response.status} ${response.reason}`.trim();
  switch (response.status) {
    case 486:
    case 600:
      return { type: 'busy' };
    case 480:
    case 408:
      return { type: 'no-answer' };
    case 404:
    case 484:
    case 604:
      return { type: 'invalid-number', reason: text };
    case 488:
    case 606:
      return { type: 'failed', reason: `no common codec with the far end (${text})` };
    default:
      if (response.status >= 300 && response.status < 400) {
        return { type: 'failed', reason: `${text}: redirected to ${response.headers.get('contact') ?? 'nowhere'} (redirects are not followed)` };
      }
      return { type: 'failed', reason: text };
  }
}

export interface OutboundOptions {
  to: string;
  callerId: string | undefined;
  ringTimeoutMs: number;
  /** How long a hang-up waits for the INVITE to end after CANCEL. */
  cancelTimeoutMs: number;
  /** The server (or outbound proxy) the INVITE goes to. */
  destination: Destination;
  /** The server refused our credentials: the line goes to auth-failed. */
  onAuthFailure(reason: string): void;
}

/**
 * Runs an outbound INVITE on `leg` (its media is open): offer, provisional responses (183 with SDP
 * starts early media), CANCEL on hang-up or ring timeout, ACK, and the final response as an event.
 */
export async function placeCall(leg: SipLeg, options: OutboundOptions): Promise<void> {
  const { ua, logger } = leg.context;
  const target = ua.uriFor(options.to);
  const localTag = randomToken(6);
  const display = options.callerId ? `"${options.callerId.replace(/"/g, '')}" ` : '';
  const dialog = new Dialog(`${randomToken(12)}@parley`, localTag, `${display}<${ua.aor}>;tag=${localTag}`, `<${target}>`, target, 1);
  const invite = ua.request('INVITE', target, {
    callId: dialog.callId,
    from: dialog.localHeader,
    to: dialog.remoteHeader,
    cseq: dialog.currentCSeq,
    body: { type: 'application/sdp', content: leg.localSdp('sendrecv') },
    extra: [['allow', ALLOW], ...(options.callerId ? [['p-asserted-identity', `<${ua.uriFor(options.callerId)}>`] as [string, string]] : [])],
  });
  leg.dialog = dialog;
  let sent: SipRequest = invite;
  let provisional = false;
  let earlyMediaStarted = false;
  let cancelReason: 'agent' | 'ring-timeout' | undefined;
  let cancelSent = false;
  const destination = options.destination;

  const sendCancel = (): void => {
    if (cancelSent || !provisional) return;
    cancelSent = true;
    const cancel = ua.request('CANCEL', sent.uri, {
      callId: dialog.callId,
      from: sent.headers.get('from')!,
      to: sent.headers.get('to')!,
      cseq: parseCSeq(sent.headers.get('cseq'))!.seq,
      routes: sent.headers.all('route'),
    });
    cancel.headers.replaceFirst('via', sent.headers.get('via')!);
    ua.layer.request(cancel, destination).catch((error: Error) => logger.warn({ callId: leg.id, err: error.message }, 'CANCEL not answered'));
  };
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  leg.abortSetup = async () => {
    cancelReason ??= 'agent';
    if (!provisional) {
      // Nothing may be CANCELled before a provisional response (RFC 3261 9.1): the leg ends now,
      // and the CANCEL (or ACK and BYE) follows when the far end speaks.
      leg.finish({ type: 'hangup', by: 'agent' });
      return;
    }
    sendCancel();
    // A far end that neither answers the CANCEL nor ends the INVITE must not hold the hang-up.
    await withTimeout(settled, options.cancelTimeoutMs);
    if (!leg.ended) {
      logger.warn({ callId: leg.id }, `call to ${options.to}: no final answer after CANCEL; ended here`);
      leg.finish({ type: 'hangup', by: 'agent' });
    }
  };
  let cancelGuard: ReturnType<typeof setTimeout> | undefined;
  const ringTimer = setTimeout(() => {
    cancelReason ??= 'ring-timeout';
    sendCancel();
    cancelGuard = setTimeout(() => leg.finish({ type: 'no-answer' }), options.cancelTimeoutMs);
  }, options.ringTimeoutMs);

  const onProvisional = (response: SipResponse): void => {
    if (leg.status === 'ended' || response.status === 100) {
      provisional = true;
      if (cancelReason) sendCancel();
      return;
    }
    provisional = true;
    if (cancelReason) {
      sendCancel();
      return;
    }
    const firstRing = leg.status === 'calling';
    if (response.headers.get('to')?.includes('tag=')) dialog.confirmFrom(response);
    leg.status = 'early';
    let earlyMedia = false;
    // 183 usually carries the early media; a 180 with SDP does too on some networks.
    if (response.body.trim()) {
      const applied = leg.applyRemoteSdp(response.body, true);
      earlyMedia = applied.ok;
      if (!applied.ok) logger.warn({ callId: leg.id, reason: applied.reason }, `early media SDP unusable: ${applied.reason}`);
    }
    if (firstRing || (earlyMedia && !earlyMediaStarted)) leg.emit({ type: 'ringing', earlyMedia });
    earlyMediaStarted ||= earlyMedia;
  };

  try {
    const response = await ua.send(invite, destination, { provisional: onProvisional, onSend: (r) => (sent = r) });
    const inviteCSeq = parseCSeq(sent.headers.get('cseq'))!.seq;
    if (response.status >= 200 && response.status < 300) {
      dialog.confirmFrom(response);
      const ack = dialog.ack(ua, inviteCSeq);
      const to = await ua.destinationFor(dialog.remoteTarget, dialog.routes);
      ua.layer.rememberAck(dialog.callId, inviteCSeq, ack, to);
      await ua.layer.sendRaw(ack, to);
      if (cancelReason || leg.ended) {
        // Answered as we gave up: end it properly.
        await leg.inDialog('BYE').catch(() => undefined);
        leg.finish(cancelReason === 'ring-timeout' ? { type: 'no-answer' } : { type: 'hangup', by: 'agent' });
        return;
      }
      const applied = leg.applyRemoteSdp(response.body, true);
      leg.status = 'confirmed';
      if (!applied.ok) {
        logger.warn({ callId: leg.id, reason: applied.reason }, `answered call dropped: ${applied.reason}`);
        await leg.inDialog('BYE').catch(() => undefined);
        leg.finish({ type: 'failed', reason: `the far end answered with ${applied.reason}` });
        return;
      }
      leg.emit({ type: 'answered', by: 'unknown' });
      return;
    }
    if (response.status === 487 && cancelReason) {
      leg.finish(cancelReason === 'ring-timeout' ? { type: 'no-answer' } : { type: 'hangup', by: 'agent' });
      return;
    }
    const event = eventForFailure(response);
    logger.info({ callId: leg.id, status: response.status, reason: response.reason }, `call to ${options.to} ended: ${response.status} ${response.reason}`);
    leg.finish(event);
  } catch (error) {
    if (error instanceof AuthFailure) {
      options.onAuthFailure(error.message);
      leg.finish({ type: 'failed', reason: `authentication failed: ${error.message}` });
    } else if (error instanceof TransactionError) {
      leg.finish({ type: 'failed', reason: error.message });
    } else {
      logger.error({ callId: leg.id, err: (error as Error).message }, 'outbound call setup failed');
      leg.finish({ type: 'failed', reason: (error as Error).message });
    }
  } finally {
    clearTimeout(ringTimer);
    clearTimeout(cancelGuard);
    leg.abortSetup = undefined;
    settle();
  }
}
