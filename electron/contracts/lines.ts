import { z } from 'zod';

/**
 * Lines: configured connections to a carrier. A campaign dials through one line; a line's inbound
 * route says which (inbound) campaign answers calls that arrive on it. Secrets (SIP passwords, ARI
 * passwords, carrier tokens) are write-only here: they go to the secret store, and a line only says
 * whether it has one.
 */

export const LineKind = z.enum(['simulated', 'sip', 'audiosocket', 'twilio']);
export type LineKind = z.infer<typeof LineKind>;

export const Codec = z.enum(['PCMU', 'PCMA']);
export type Codec = z.infer<typeof Codec>;

const Host = z.string().trim().min(1, 'A host is required').max(253);
const Port = z.number().int().min(1).max(65_535);

/** A SIP trunk from a provider, or an extension on the office's PBX. */
export const SipLineSettings = z.object({
  /** Registrar / proxy host (domain or address). */
  server: Host,
  port: Port.default(5060),
  transport: z.enum(['udp', 'tcp', 'tls']).default('udp'),
  /** The user part of our address of record (extension or trunk user). */
  username: z.string().trim().min(1, 'A user name is required').max(128),
  /** Digest user name when it differs from `username`. */
  authUsername: z.string().trim().max(128).optional(),
  /** SIP domain of the address of record; defaults to `server`. */
  domain: z.string().trim().max(253).optional(),
  /** Outbound proxy when it is not the registrar. */
  outboundProxy: z.string().trim().max(260).optional(),
  /** Register with the server (an extension or a registration-based trunk); IP-authenticated trunks do not. */
  register: z.boolean().default(true),
  /** Registration lifetime asked for, in seconds. */
  registerExpires: z.number().int().min(60).max(86_400).default(600),
  /** Local address to bind SIP and RTP to (default: all interfaces). */
  localAddress: z.string().trim().max(64).optional(),
  /** Local SIP port (0: any free port). */
  localPort: z.number().int().min(0).max(65_535).default(0),
  /** RTP port range. */
  rtpPortMin: Port.default(20_000),
  rtpPortMax: Port.default(20_999),
  /** Number or extension a call is handed to on a blind transfer (REFER). */
  transferTarget: z.string().trim().max(128).optional(),
});
export type SipLineSettings = z.infer<typeof SipLineSettings>;

/** Asterisk: calls come to Parley's AudioSocket server; outbound calls are originated through ARI. */
export const AudioSocketLineSettings = z.object({
  listenHost: z.string().trim().max(64).default('127.0.0.1'),
  listenPort: z.number().int().min(0).max(65_535).default(9092),
  /** Slin sample rate Asterisk sends (AudioSocket carries signed linear audio). */
  sampleRate: z.union([z.literal(8_000), z.literal(16_000)]).default(8_000),
  /** ARI base URL for outbound calls (e.g. http://pbx:8088/ari); none: inbound only. */
  ariUrl: z.string().trim().max(500).optional(),
  ariUsername: z.string().trim().max(128).optional(),
  /** Endpoint template for originate, `{number}` replaced (e.g. PJSIP/{number}@trunk). */
  ariEndpoint: z.string().trim().max(200).optional(),
  /** Address Asterisk uses to reach Parley's AudioSocket server (host:port). */
  audioSocketAddress: z.string().trim().max(260).optional(),
});
export type AudioSocketLineSettings = z.infer<typeof AudioSocketLineSettings>;

/**
 * Twilio: outbound calls through the REST API, audio over Media Streams, webhooks to a listener of its
 * own (never the console's). Twilio must reach that listener: through a public base URL the office
 * already has (a reverse proxy to it), or through a tunnel Parley opens.
 */
export const TwilioLineSettings = z.object({
  accountSid: z.string().trim().regex(/^AC[0-9a-fA-F]{32}$/, 'An Account SID starts with AC and has 32 hex digits'),
  /** The account's numbers this line uses (E.164); the first is the default caller ID. */
  numbers: z.array(z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'An E.164 number, e.g. +14155550100')).max(20).default([]),
  /** Address and port of the webhook listener (only Twilio's paths answer there). */
  webhookHost: z.string().trim().max(64).default('127.0.0.1'),
  webhookPort: z.number().int().min(0).max(65_535).default(8089),
  /** How Twilio reaches the listener: a public base URL the office provides, or a tunnel Parley starts. */
  reachability: z.enum(['public-url', 'ngrok']).default('public-url'),
  /** e.g. https://calls.example.com (a reverse proxy to the webhook listener). */
  publicBaseUrl: z.string().trim().url('A URL such as https://calls.example.com').max(500).optional(),
  /** Point the chosen numbers' voice webhook at this line when it starts (inbound calls). */
  configureNumbers: z.boolean().default(true),
  /** Twilio's asynchronous answering-machine detection on outbound calls (else Parley's own). */
  machineDetection: z.boolean().default(true),
  /** How long an answered call waits for Twilio's machine verdict before the agent speaks anyway. */
  machineVerdictWaitMs: z.number().int().min(0).max(10_000).default(3_500),
  /** API key for desk agents' Voice SDK phones (the key's secret is saved with the line's secrets). */
  apiKeySid: z.string().trim().regex(/^SK[0-9a-fA-F]{32}$/, 'An API key SID starts with SK and has 32 hex digits').optional(),
  /** TwiML App whose voice URL is this line's: desk agents' click-to-call goes through it. */
  twimlAppSid: z.string().trim().regex(/^AP[0-9a-fA-F]{32}$/, 'A TwiML App SID starts with AP and has 32 hex digits').optional(),
  /** Twilio's REST base (regional edges); https://api.twilio.com unless Twilio says otherwise. */
  apiBaseUrl: z.string().trim().url().max(200).default('https://api.twilio.com'),
});
export type TwilioLineSettings = z.infer<typeof TwilioLineSettings>;

/** A Twilio number of the account, as offered when a line picks its numbers. */
export const TwilioNumber = z.object({
  sid: z.string(),
  phoneNumber: z.string(),
  friendlyName: z.string(),
  voiceUrl: z.string().nullable(),
});
export type TwilioNumber = z.infer<typeof TwilioNumber>;

export const SimulatedLineSettings = z.object({});

const lineCommon = {
  name: z.string().trim().min(1, 'Name is required').max(80),
  /** Caller ID numbers (E.164) presented on outbound calls; the first is the default. */
  callerIds: z.array(z.string().trim().min(1).max(32)).max(20).default([]),
  maxCalls: z.number().int().min(1, 'At least one call').max(500).default(4),
  codecs: z.array(Codec).min(1).default(['PCMU', 'PCMA']),
  /** The inbound campaign that answers calls arriving on this line (none: inbound calls are refused). */
  inboundCampaignId: z.string().min(1).max(64).nullable().default(null),
  /** What the carrier charges per minute of an answered call, USD (null: not priced). */
  ratePerMinuteUsd: z.number().min(0).max(100).nullable().default(null),
};

export const LineInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sip'), ...lineCommon, settings: SipLineSettings, password: z.string().max(256).optional() }),
  z.object({ kind: z.literal('audiosocket'), ...lineCommon, settings: AudioSocketLineSettings, password: z.string().max(256).optional() }),
  z.object({
    kind: z.literal('twilio'),
    ...lineCommon,
    settings: TwilioLineSettings,
    /** The account's auth token (REST and webhook signatures). */
    password: z.string().max(256).optional(),
    /** The API key's secret (Voice SDK phones); absent keeps the saved one, empty deletes it. */
    apiKeySecret: z.string().max(256).optional(),
    /** The ngrok authtoken when the line opens a tunnel. */
    tunnelAuthtoken: z.string().max(256).optional(),
  }),
  z.object({ kind: z.literal('simulated'), ...lineCommon, settings: SimulatedLineSettings.default({}) }),
]);
export type LineInput = z.input<typeof LineInput>;

/** Live state of a line's connection to its carrier. */
export const CarrierState = z.object({
  status: z.enum(['ready', 'registering', 'auth-failed', 'unreachable', 'offline', 'disabled']),
  /** One sentence a person can act on ("403 Forbidden from 127.0.0.1: wrong password"). */
  detail: z.string(),
  since: z.string(),
});
export type CarrierState = z.infer<typeof CarrierState>;

export const LineTestResult = z.object({
  ok: z.boolean(),
  /** What was tried (REGISTER, OPTIONS, TCP connect) and what came back. */
  verdict: z.string(),
  latencyMs: z.number().nullable(),
});
export type LineTestResult = z.infer<typeof LineTestResult>;

/** A line as every UI sees it: settings without the secret, whether one is saved, live state and load. */
export const Line = z.object({
  id: z.string(),
  kind: LineKind,
  name: z.string(),
  callerIds: z.array(z.string()),
  maxCalls: z.number(),
  codecs: z.array(Codec),
  inboundCampaignId: z.string().nullable(),
  ratePerMinuteUsd: z.number().nullable(),
  settings: z.record(z.string(), z.unknown()),
  /** A password is saved in the secret store (it is never sent back). */
  hasSecret: z.boolean(),
  /** A simulated line: campaigns on it are dry runs. */
  dryRun: z.boolean(),
  state: CarrierState,
  activeCalls: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Line = z.infer<typeof Line>;
