import { sql, type Kysely } from 'kysely';
import type { Campaign, LaunchSummary, Line } from '../../contracts';
import type { SegmentFilter } from '../../contracts';
import { segmentCondition } from '../contacts/segment-query';
import type { ReadQueryWorker } from '../storage/read-query-worker';
import type { Database } from '../storage/schema';
import { consentAllowsSql, consentNeeded } from './consent-rules';
import type { HoursOverrides } from './hours-overrides';
import { defaultCallerId } from '../lines/lines-repository';
import { candidateZones, mayCallNow, rulesFor } from './legal-hours';
import { windowProblems } from './window-check';

interface Group {
  timezone: string | null;
  inferred: number;
  prefix: string;
  sample: string;
  n: number;
  dnc: number;
  no_consent: number;
  done: number;
  invalid: number;
}

/**
 * Who a launch would call now and who it would skip, and why, without writing anything. Contacts
 * are grouped by zone and number prefix (the facts hours depend on) so a large audience is judged
 * in one grouped query and a few hundred checks. Each contact is counted once, under the first
 * reason that applies: already done, invalid number, do-not-call, no consent, outside hours.
 */
export async function launchSummary(
  store: { db: Kysely<Database>; reads: ReadQueryWorker },
  input: { campaign: Campaign; filter: SegmentFilter | null; line: Line | null; overrides: HoursOverrides; now: number },
): Promise<LaunchSummary> {
  const { campaign, line, now } = input;
  const dryRun = line?.kind === 'simulated';
  const audience = input.filter ? segmentCondition(input.filter, now) : sql`1 = 1`;
  const consentOk = dryRun ? sql`1` : sql.raw(consentAllowsSql(campaign.purpose));
  const limit = campaign.testLimit ?? -1;
  // A large audience takes a few hundred ms to judge: on the query thread, never the call loop.
  const rows = await store.reads.all(sql<Group>`
    with picked as (
      select c.id, c.timezone, c.timezone_inferred, c.phone_e164 from contacts c
      where ${audience} order by c.rowid limit ${limit}
    ), judged as (
      select p.timezone, p.timezone_inferred,
        case when p.phone_e164 like '+1%' then substr(p.phone_e164, 1, 5) else substr(p.phone_e164, 1, 4) end as prefix,
        p.phone_e164,
        exists (select 1 from campaign_contacts q where q.campaign_id = ${campaign.id} and q.contact_id = p.id and q.state in ('done', 'dnc', 'no-consent')) as done,
        (p.phone_e164 not glob '+[1-9]*' or length(p.phone_e164) < 8 or length(p.phone_e164) > 16) as invalid,
        exists (select 1 from dnc_numbers d where d.phone_e164 = p.phone_e164) as dnc,
        coalesce((select ${consentOk} from contact_consents k where k.contact_id = p.id), ${dryRun ? sql`1` : sql`0`}) as consent
      from picked p
    )
    select timezone, timezone_inferred as inferred, prefix, min(phone_e164) as sample, count(*) as n,
      sum(done) as done,
      sum(case when not done and invalid then 1 else 0 end) as invalid,
      sum(case when not done and not invalid and dnc then 1 else 0 end) as dnc,
      sum(case when not done and not invalid and not dnc and not consent then 1 else 0 end) as no_consent
    from judged group by timezone, timezone_inferred, prefix`.compile(store.db));

  const skipped = { dnc: 0, noConsent: 0, outsideHours: 0, invalidNumber: 0, alreadyDone: 0 };
  let total = 0;
  let callNow = 0;
  for (const g of rows) {
    total += Number(g.n);
    skipped.alreadyDone += Number(g.done);
    skipped.invalidNumber += Number(g.invalid);
    skipped.dnc += Number(g.dnc);
    skipped.noConsent += Number(g.no_consent);
    const rest = Number(g.n) - Number(g.done) - Number(g.invalid) - Number(g.dnc) - Number(g.no_consent);
    if (rest <= 0) continue;
    const zones = candidateZones({ phoneE164: g.sample, timezone: g.timezone, timezoneInferred: g.inferred === 1 }, campaign.defaultTimezone);
    if (mayCallNow(campaign.callingWindow, rulesFor(g.sample), zones, now)) callNow += rest;
    else skipped.outsideHours += rest;
  }

  const override = input.overrides.covering(campaign.id, campaign.callingWindow, campaign.defaultTimezone);
  const notes: string[] = [];
  if (dryRun) notes.push('Dry run on a simulated line: simulated callers answer; consent is not asked for and no real record is written.');
  else if (skipped.noConsent > 0) notes.push(`This campaign's purpose (${campaign.purpose}) needs ${consentNeeded(campaign.purpose)}.`);
  if (skipped.outsideHours > 0) notes.push('Contacts outside their calling hours now are called when their hours open (window and legal hours in every zone they may be in).');
  if (!line) notes.push('No line: the launch will be refused until a line is configured.');
  return {
    campaignId: campaign.id,
    line: line ? { id: line.id, name: line.name, kind: line.kind, dryRun } : null,
    callerId: line ? defaultCallerId(line) : null,
    purpose: campaign.purpose,
    audience: total,
    callNow,
    skipped,
    windowProblems: windowProblems(campaign.callingWindow, campaign.defaultTimezone),
    override: override ? { reason: override.reason, by: override.by, at: new Date(override.at).toISOString() } : null,
    notes,
  };
}
