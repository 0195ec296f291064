import type { Engine } from '../engine';
import { localTime } from '../engine/domain/local-time';
import { SimulatedTelephony } from '../engine/telephony/simulated/carrier';

/** A small, believable starting point for `parley demo`, added only to an empty store. */
export const SAMPLE_CAMPAIGNS = [
  {
    name: 'Spring service reminder',
    companyName: 'Northside Auto',
    agentName: 'Sam',
    agentPrompt:
      'You are Sam, a friendly assistant calling on behalf of Northside Auto. Remind the customer their vehicle is due for its spring service and offer to book a slot. Keep answers short.',
    questions: ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'],
  },
  {
    name: 'Webinar follow-up',
    companyName: 'Brightline Software',
    agentName: 'Alex',
    agentPrompt:
      'You are Alex from Brightline Software. Thank the contact for attending the webinar, ask whether they would like a demo, and qualify budget and timeline politely.',
    questions: ['Did the webinar answer your questions?', 'Would a 20-minute demo be useful?', 'When are you planning to decide?'],
  },
];

export async function seedSampleData(engine: Engine): Promise<number> {
  const existing = await engine.invoke('campaigns.list', {});
  if (!existing.ok || (existing.result as unknown[]).length > 0) return 0;
  for (const campaign of SAMPLE_CAMPAIGNS) await engine.invoke('campaigns.create', campaign);
  return SAMPLE_CAMPAIGNS.length;
}

/** Simulated contacts of the demo campaign, each answered by a different kind of caller. */
export const DEMO_CONTACTS = [
  { name: 'Dana Smith', phone: '+13125550101', persona: 'cooperative' },
  { name: 'Lee Wong', phone: '+13125550102', persona: 'interrupter' },
  { name: 'Amara Okafor', phone: '+13125550103', persona: 'backchanneler' },
  { name: 'Jonas Berg', phone: '+13125550104', persona: 'number-reader' },
  { name: 'Priya Patel', phone: '+13125550105', persona: 'do-not-call' },
  { name: 'Mateo Garcia', phone: '+13125550106', persona: 'voicemail' },
  { name: 'Noor Haddad', phone: '+13125550107', persona: 'busy' },
] as const;

/** Zones far enough apart that one of them is always between 09:00 and 19:00. */
const DAYTIME_CANDIDATES = ['America/Chicago', 'America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu', 'Australia/Sydney', 'Asia/Tokyo', 'Asia/Kolkata', 'Europe/London'];

/**
 * The zone the simulated demo contacts are placed in: Chicago when it is daytime there, else the
 * first zone where it is. The demo keeps a legal calling window (08:00–21:00 in the contact's
 * zone) and still runs at any hour of the day.
 */
export function demoContactZone(now: number): string {
  return DAYTIME_CANDIDATES.find((zone) => {
    const minutes = localTime(zone, now).minutes;
    return minutes >= 9 * 60 && minutes < 19 * 60;
  })!;
}

export interface DemoSummary {
  campaignId: string;
  outcomes: Record<string, number>;
  turns: number;
  voiceToVoiceP50Ms: number | null;
  voiceToVoiceP95Ms: number | null;
}

/**
 * A real simulated campaign, end to end: the demo contacts are imported, a campaign is created on
 * a simulated line (a dry run, said so in the log) and launched, the dialer places the calls through
 * the voice pipeline, and the calls land in the store marked as a dry run. Progress goes to `log`;
 * resolves with a summary.
 */
export async function runDemoCampaign(engine: Engine, log: (line: string) => void, timeoutMs = 240_000): Promise<DemoSummary> {
  const call = async <T>(command: string, payload: unknown): Promise<T> => {
    const outcome = await engine.invoke(command, payload);
    if (!outcome.ok) throw new Error(`${command}: ${outcome.error.message}`);
    return outcome.result as T;
  };
  const voice = engine.context.voice;
  await voice.runtime.ready();
  const carrier = voice.runtime.telephony;
  if (carrier instanceof SimulatedTelephony) for (const c of DEMO_CONTACTS) carrier.assign(c.phone, c.persona);
  else throw new Error(`The demo needs the simulated carrier; this engine uses ${carrier.name}`);

  const status = voice.status();
  log('Voice engines:');
  for (const e of status.engines) log(`  ${e.role.padEnd(9)} ${e.name} (${e.state}): ${e.detail}`);
  log(`  agent     ${status.agent.detail}`);

  const zone = demoContactZone(engine.context.clock.now());
  if (zone !== 'America/Chicago') log(`It is night in Chicago: the simulated contacts are placed in ${zone}, where it is daytime, so the demo keeps legal calling hours.`);
  const csv = ['name,phone,timezone', ...DEMO_CONTACTS.map((c) => `${c.name},${c.phone},${zone}`)].join('\n');
  const { importId } = await call<{ importId: string }>('contacts.importBegin', { fileName: 'demo-contacts.csv', options: { tags: ['demo'] } });
  await call('contacts.importChunk', { importId, data: Buffer.from(csv).toString('base64') });
  await call('contacts.importFinish', { importId });

  // The demo runs on a simulated line on purpose: a dry run that never writes real records.
  const lines = await call<Array<{ id: string; kind: string }>>('lines.list', {});
  const line = lines.find((l) => l.kind === 'simulated') ?? (await call<{ id: string }>('lines.create', { kind: 'simulated', name: 'Simulated callers (demo)', maxCalls: 4 }));
  log('This is a dry run on the simulated line: simulated callers answer, and no do-not-call entry, contact status, callback or CRM record is written.');

  const campaign = await call<{ id: string; name: string }>('campaigns.create', {
    lineId: line.id,
    name: `Demo: spring service reminder (${new Date().toISOString().slice(0, 16).replace('T', ' ')})`,
    companyName: SAMPLE_CAMPAIGNS[0]!.companyName,
    agentName: SAMPLE_CAMPAIGNS[0]!.agentName,
    agentPrompt: SAMPLE_CAMPAIGNS[0]!.agentPrompt,
    questions: SAMPLE_CAMPAIGNS[0]!.questions,
    // The legal hours (47 CFR 64.1200(c)(1)) every day; the contacts' zone makes it daytime for them. Four lines at once.
    callingWindow: { start: '08:00', end: '21:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], holidays: [] },
    purpose: 'existing-customer',
    maxConcurrentCalls: 4,
    maxAttempts: 1,
  });

  const byPhone = new Map<string, (typeof DEMO_CONTACTS)[number]>(DEMO_CONTACTS.map((c) => [c.phone, c]));
  const names = new Map<string, string>();
  const outcomes: Record<string, number> = {};
  let ended = 0;
  let finish: () => void = () => undefined;
  const allEnded = new Promise<void>((resolve) => (finish = resolve));
  const off = engine.subscribe((event) => {
    if (event.name === 'call.started' && event.payload.campaignId === campaign.id) {
      void contactLabel(engine, event.payload.contactId, byPhone).then((label) => {
        names.set(event.payload.callId, label);
        log(`  calling ${label}…`);
      });
    } else if (event.name === 'call.ended' && event.payload.campaignId === campaign.id) {
      outcomes[event.payload.outcome] = (outcomes[event.payload.outcome] ?? 0) + 1;
      ended++;
      log(`  ${names.get(event.payload.callId) ?? event.payload.callId}: ${event.payload.outcome} (${event.payload.detail})`);
      if (ended >= DEMO_CONTACTS.length) finish();
    } else if (event.name === 'campaign.transition' && event.payload.campaignId === campaign.id && ['completed', 'stopped'].includes(event.payload.transition.to)) {
      finish();
    }
  });
  log(`Launching "${campaign.name}" with ${DEMO_CONTACTS.length} simulated contacts (4 lines)…`);
  await call('campaigns.launch', { id: campaign.id });
  const timer = setTimeout(finish, timeoutMs);
  await allEnded;
  clearTimeout(timer);
  off();
  const latency = await voice.latencySummary({ campaignId: campaign.id });
  return { campaignId: campaign.id, outcomes, turns: latency.turns, voiceToVoiceP50Ms: latency.voiceToVoice.p50, voiceToVoiceP95Ms: latency.voiceToVoice.p95 };
}

async function contactLabel(engine: Engine, contactId: string | null, byPhone: Map<string, { name: string; persona: string }>): Promise<string> {
  if (!contactId) return 'unknown contact';
  const row = await engine.context.store.db.selectFrom('contacts').select(['name', 'phone_e164']).where('id', '=', contactId).executeTakeFirst();
  const demo = row ? byPhone.get(row.phone_e164) : undefined;
  return demo ? `${demo.name} (${demo.persona})` : (row?.name ?? contactId);
}
