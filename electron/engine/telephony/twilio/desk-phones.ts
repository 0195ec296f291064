import type { TwilioLineSettings } from '../../../contracts';
import type { DeskPhoneCall, DeskPhoneVerdict } from '../../ports/telephony';
import { loadTwilio } from './twilio-rest';
import type { FormReply } from './webhook-listener';

/**
 * Desk agents' own phones (Twilio Voice SDK): the access tokens their browsers register with, and the
 * TwiML that answers a call one of them places through the line's TwiML App (click-to-call).
 */

const TOKEN_TTL_S = 3_600;
const DECISION_MS = 8_000;

type VoiceResponse = InstanceType<Awaited<ReturnType<typeof loadTwilio>>['twiml']['VoiceResponse']>;

/** A one-hour AccessToken with a VoiceGrant for `identity` (the signed-in user's id). */
export async function mintDeskPhoneToken(settings: TwilioLineSettings, apiKeySecret: string | undefined, identity: string): Promise<{ token: string; expiresAt: string }> {
  if (!settings.apiKeySid || !apiKeySecret) throw new Error('This Twilio line has no API key for desk phones: set the API key SID and secret');
  const { jwt } = await loadTwilio();
  const token = new jwt.AccessToken(settings.accountSid, settings.apiKeySid, apiKeySecret, { identity, ttl: TOKEN_TTL_S });
  token.addGrant(new jwt.AccessToken.VoiceGrant({ incomingAllow: true, ...(settings.twimlAppSid ? { outgoingApplicationSid: settings.twimlAppSid } : {}) }));
  return { token: token.toJwt(), expiresAt: new Date(Date.now() + TOKEN_TTL_S * 1000).toISOString() };
}

/**
 * A desk phone calls a number: the engine decides (who is calling, the do-not-call list), then Twilio
 * dials it from the line's number, recorded on Twilio's side (both channels); a refusal is said.
 */
export async function answerDeskCall(
  params: Record<string, string>,
  options: { callerId: string | undefined; decide: ((call: Omit<DeskPhoneCall, 'lineId'>) => Promise<DeskPhoneVerdict>) | undefined; xml: (build: (r: VoiceResponse) => void) => FormReply },
): Promise<FormReply> {
  const say = (text: string) => options.xml((r) => (r.say(text), r.hangup()));
  const identity = /^client:(.{1,121})$/.exec(params.From ?? params.Caller ?? '')?.[1];
  const to = (params.To ?? '').trim();
  if (!identity) return { status: 403, body: 'a desk call that does not come from a Voice SDK phone' };
  if (!/^\+[1-9]\d{6,14}$/.test(to)) return say('That is not a phone number in international format.');
  const { callerId, decide } = options;
  if (!callerId) return say('This line has no number to call from.');
  const verdict = decide
    ? await Promise.race([decide({ identity, to, callSid: params.CallSid ?? '' }), new Promise<DeskPhoneVerdict>((resolve) => setTimeout(() => resolve({ allowed: false, reason: 'Parley did not answer in time.' }), DECISION_MS))])
    : { allowed: false as const, reason: 'Desk phone calls are not taken on this line.' };
  if (!verdict.allowed) return say(verdict.reason);
  return options.xml((r) => r.dial({ callerId, record: 'record-from-answer-dual', timeout: 40 }).number(to));
}
