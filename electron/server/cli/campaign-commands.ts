import type { Command } from 'commander';
import { ParleyError, type Campaign, type LaunchSummary } from '../../contracts';
import type { Engine } from '../../engine';
import { call, withEngine } from './engine-helper';

interface Flags {
  data?: string;
  json?: boolean;
}

/**
 * `parley campaign list|launch|pause|resume|stop`. These change the campaign in the data folder;
 * the Parley that runs on it (`parley serve` or the desktop app) places the calls.
 */
export function registerCampaignCommands(program: Command): void {
  const campaign = program.command('campaign').description('list campaigns and launch, pause, resume or stop one');
  const common = (command: Command) =>
    command.option('--data <dir>', 'data folder (database, logs, models)').option('--json', 'print JSON instead of text');

  common(campaign.command('list').description('campaigns with their status and counters')).action((flags: Flags) =>
    withEngine(flags.data, async (engine) => {
      const campaigns = await call(engine, 'campaigns.list', {});
      const rows = await Promise.all(campaigns.map(async (c) => ({ campaign: c, counters: await call(engine, 'campaigns.counters', { id: c.id }) })));
      if (flags.json) return console.log(JSON.stringify(rows.map(({ campaign: c, counters }) => ({ id: c.id, name: c.name, status: c.status, counters }))));
      if (rows.length === 0) return console.log('No campaigns yet.');
      for (const { campaign: c, counters } of rows) {
        const done = Object.values(counters.finished).reduce((a, b) => a + b, 0);
        console.log(
          `${c.id}  ${c.status.padEnd(9)}  ${c.name}  (${counters.enrolled} contacts: ${counters.queued} queued, ${counters.dialing + counters.inCall} in progress, ${done} done, ${counters.dncSkipped} DNC skipped)`,
        );
      }
    }),
  );

  const action = (name: 'launch' | 'pause' | 'resume' | 'stop', description: string) =>
    common(campaign.command(name).description(description).argument('<id>', 'campaign id (or a unique start of it, or its exact name)'));

  action('launch', 'start dialing a draft campaign (or schedule it with --at)')
    .option('--at <time>', 'start later, at this ISO 8601 time (e.g. 2026-03-02T09:00:00-05:00)')
    .action((ref: string, flags: Flags & { at?: string }) =>
      withEngine(flags.data, async (engine) => {
        const id = await resolveCampaign(engine, ref);
        if (flags.at && Number.isNaN(Date.parse(flags.at))) throw new ParleyError('invalid_payload', `--at ${flags.at}: not a date and time`);
        if (!flags.json) {
          // What the launch does, as the console shows it before its Launch button.
          const summary = await call(engine, 'campaigns.launchSummary', { id }).catch(() => undefined);
          if (summary) console.log(launchSummaryText(summary));
        }
        const result = await call(engine, 'campaigns.launch', { id, ...(flags.at ? { startAt: new Date(flags.at).toISOString() } : {}) });
        report(result, flags);
      }),
    );
  for (const [name, description] of [
    ['pause', 'stop placing new calls (calls in progress finish)'],
    ['resume', 'continue a paused campaign'],
    ['stop', 'end a campaign for good (calls in progress finish)'],
  ] as const) {
    action(name, description).action((ref: string, flags: Flags) =>
      withEngine(flags.data, async (engine) => {
        const id = await resolveCampaign(engine, ref);
        report(await call(engine, `campaigns.${name}`, { id }), flags);
      }),
    );
  }
}

function report(campaign: Campaign, flags: Flags): void {
  if (flags.json) return console.log(JSON.stringify(campaign));
  const when = campaign.status === 'scheduled' && campaign.startAt ? ` (starts ${campaign.startAt})` : '';
  console.log(`Campaign "${campaign.name}" is now ${campaign.status}${when}.`);
  if (campaign.status === 'running' || campaign.status === 'scheduled') {
    console.log('Calls are placed by the Parley that runs on this data folder (parley serve or the desktop app).');
  }
}

/** An exact id, a unique prefix of one (at least 4 characters), or an exact name. */
async function resolveCampaign(engine: Engine, ref: string): Promise<string> {
  const campaigns = await call(engine, 'campaigns.list', {});
  const exact = campaigns.find((c) => c.id === ref);
  if (exact) return exact.id;
  const prefixed = ref.length >= 4 ? campaigns.filter((c) => c.id.startsWith(ref)) : [];
  if (prefixed.length === 1) return prefixed[0]!.id;
  const named = campaigns.filter((c) => c.name.toLowerCase() === ref.toLowerCase());
  if (named.length === 1) return named[0]!.id;
  if (prefixed.length + named.length > 1) throw new ParleyError('invalid_payload', `"${ref}" matches more than one campaign; use its full id (parley campaign list)`);
  throw new ParleyError('not_found', `No campaign "${ref}" (see: parley campaign list)`);
}


function launchSummaryText(s: LaunchSummary): string {
  const line = s.line ? `on line "${s.line.name}"${s.line.dryRun ? ' (dry run)' : ''}` : 'with no line';
  const skipped = `${s.skipped.dnc} on the do-not-call list, ${s.skipped.noConsent} without consent, ${s.skipped.outsideHours} outside their hours now, ${s.skipped.invalidNumber} invalid, ${s.skipped.alreadyDone} already done`;
  return `Calls ${s.callNow} of ${s.audience} contacts now ${line}${s.callerId ? `, caller ID ${s.callerId}` : ''}; skipped: ${skipped}.`;
}
