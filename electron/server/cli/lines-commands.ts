import { InvalidArgumentError, type Command } from 'commander';
import { LineKind, ParleyError, type Line, type LineInput } from '../../contracts';
import type { Engine } from '../../engine';
import { call, withEngine } from './engine-helper';

interface Flags {
  data?: string;
  json?: boolean;
}

interface AddFlags extends Flags {
  kind: LineKind;
  name: string;
  maxCalls?: number;
  callerId: string[];
  passwordStdin?: boolean;
  server?: string;
  port?: number;
  transport?: 'udp' | 'tcp' | 'tls';
  username?: string;
  authUsername?: string;
  domain?: string;
  register: boolean;
  listenHost?: string;
  listenPort?: number;
  ariUrl?: string;
  ariUsername?: string;
  ariEndpoint?: string;
  accountSid?: string;
  number: string[];
  publicUrl?: string;
  webhookHost?: string;
  webhookPort?: number;
}

/**
 * `parley lines list|add|test|remove`: the phone lines of the data folder. A password is read from
 * standard input (--password-stdin), never from the command line, and goes to the secret store.
 */
export function registerLinesCommands(program: Command): void {
  const lines = program.command('lines').description('list, add, test and remove phone lines (SIP, Asterisk, Twilio, simulated)');
  const common = (command: Command) => command.option('--data <dir>', 'data folder (database, logs, models)').option('--json', 'print JSON instead of text');

  common(lines.command('list').description('lines with their kind, state and limit')).action((flags: Flags) =>
    withEngine(flags.data, async (engine) => {
      const all = await call(engine, 'lines.list', {});
      if (flags.json) return console.log(JSON.stringify(all));
      if (all.length === 0) return console.log('No lines yet. Add one: parley lines add --kind sip --name "Office trunk" --server pbx.example.com --username 201 --password-stdin');
      for (const line of all) console.log(describe(line));
    }),
  );

  common(lines.command('add').description('add a line'))
    .requiredOption('--kind <kind>', 'sip, audiosocket, twilio or simulated (a simulated line makes dry runs)', parseKind)
    .requiredOption('--name <name>', 'a name people recognise ("Office trunk")')
    .option('--max-calls <n>', 'calls at once on this line', parseInteger)
    .option('--caller-id <number>', 'caller ID number (E.164); repeat for more', collect, [])
    .option('--password-stdin', 'read the password (SIP, ARI, or Twilio auth token) from standard input')
    .option('--server <host>', 'sip: registrar or proxy host')
    .option('--port <port>', 'sip: server port', parseInteger)
    .option('--transport <transport>', 'sip: udp, tcp or tls')
    .option('--username <user>', 'sip: extension or trunk user')
    .option('--auth-username <user>', 'sip: digest user name when it differs')
    .option('--domain <domain>', 'sip: domain of the address of record')
    .option('--no-register', 'sip: do not register (an IP-authenticated trunk)')
    .option('--listen-host <host>', 'audiosocket: address the AudioSocket server binds to')
    .option('--listen-port <port>', 'audiosocket: its port', parseInteger)
    .option('--ari-url <url>', 'audiosocket: ARI base URL for outbound calls')
    .option('--ari-username <user>', 'audiosocket: ARI user')
    .option('--ari-endpoint <template>', 'audiosocket: originate endpoint, e.g. PJSIP/{number}@trunk')
    .option('--account-sid <sid>', 'twilio: the Account SID (AC...)')
    .option('--number <number>', 'twilio: one of the account\'s numbers (E.164); repeat for more', collect, [])
    .option('--public-url <url>', 'twilio: public base URL that reaches the webhook listener (a reverse proxy)')
    .option('--webhook-host <host>', 'twilio: address the webhook listener binds to (default 127.0.0.1)')
    .option('--webhook-port <port>', 'twilio: its port (default 8089)', parseInteger)
    .action((flags: AddFlags) =>
      withEngine(flags.data, async (engine) => {
        const password = flags.passwordStdin ? await readStdin() : undefined;
        const line = await call(engine, 'lines.create', inputOf(flags, password));
        if (flags.json) return console.log(JSON.stringify(line));
        console.log(`Added line "${line.name}" (${line.id}).`);
        console.log(describe(line));
      }),
    );

  common(lines.command('test').description('a real round trip to the carrier (REGISTER / OPTIONS / connect)').argument('<line>', 'line id (or a unique start of it, or its exact name)')).action(
    (ref: string, flags: Flags) =>
      withEngine(flags.data, async (engine) => {
        const id = await resolveLine(engine, ref);
        const result = await call(engine, 'lines.test', { id });
        if (flags.json) console.log(JSON.stringify(result));
        else console.log(`${result.ok ? 'OK' : 'FAILED'}: ${result.verdict}${result.latencyMs === null ? '' : ` (${Math.round(result.latencyMs)} ms)`}`);
        if (!result.ok) process.exitCode = 2;
      }),
  );

  common(lines.command('remove').description('remove a line and its saved password').argument('<line>', 'line id (or a unique start of it, or its exact name)')).action(
    (ref: string, flags: Flags) =>
      withEngine(flags.data, async (engine) => {
        const id = await resolveLine(engine, ref);
        const result = await call(engine, 'lines.remove', { id });
        if (flags.json) console.log(JSON.stringify(result));
        else console.log(`Removed line ${id}.`);
      }),
  );
}

function inputOf(flags: AddFlags, password: string | undefined): LineInput {
  const common = { name: flags.name, callerIds: flags.callerId, ...(flags.maxCalls === undefined ? {} : { maxCalls: flags.maxCalls }) };
  const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  if (flags.kind === 'simulated') {
    if (password !== undefined) throw new ParleyError('invalid_payload', 'A simulated line has no password');
    return { kind: 'simulated', ...common };
  }
  if (flags.kind === 'sip') {
    const settings = defined({ server: flags.server, port: flags.port, transport: flags.transport, username: flags.username, authUsername: flags.authUsername, domain: flags.domain, register: flags.register });
    return { kind: 'sip', ...common, settings: settings as never, ...(password === undefined ? {} : { password }) };
  }
  if (flags.kind === 'twilio') {
    const settings = defined({ accountSid: flags.accountSid, numbers: flags.number, publicBaseUrl: flags.publicUrl, webhookHost: flags.webhookHost, webhookPort: flags.webhookPort });
    return { kind: 'twilio', ...common, settings: settings as never, ...(password === undefined ? {} : { password }) };
  }
  const settings = defined({ listenHost: flags.listenHost, listenPort: flags.listenPort, ariUrl: flags.ariUrl, ariUsername: flags.ariUsername, ariEndpoint: flags.ariEndpoint });
  return { kind: 'audiosocket', ...common, settings, ...(password === undefined ? {} : { password }) };
}

function describe(line: Line): string {
  const where =
    line.kind === 'sip'
      ? ` ${String(line.settings.username)}@${String(line.settings.server)}`
      : line.kind === 'audiosocket'
        ? ` AudioSocket on ${String(line.settings.listenHost)}:${String(line.settings.listenPort)}`
        : line.kind === 'twilio'
          ? ` ${(line.settings.numbers as string[] | undefined)?.join(', ') || 'no number yet'}, webhooks on ${String(line.settings.webhookHost)}:${String(line.settings.webhookPort)}`
          : ' (dry runs)';
  const secret = line.kind === 'simulated' ? '' : line.hasSecret ? ', password saved' : ', no password';
  return `${line.id}  ${line.kind.padEnd(11)}  ${line.name}${where}  [${line.state.status}: ${line.state.detail}]  ${line.activeCalls}/${line.maxCalls} calls${secret}`;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!text) throw new ParleyError('invalid_payload', '--password-stdin: nothing was read from standard input');
  return text;
}

async function resolveLine(engine: Engine, ref: string): Promise<string> {
  const all = await call(engine, 'lines.list', {});
  const exact = all.find((l) => l.id === ref);
  if (exact) return exact.id;
  const prefixed = ref.length >= 4 ? all.filter((l) => l.id.startsWith(ref)) : [];
  if (prefixed.length === 1) return prefixed[0]!.id;
  const named = all.filter((l) => l.name.toLowerCase() === ref.toLowerCase());
  if (named.length === 1) return named[0]!.id;
  if (prefixed.length + named.length > 1) throw new ParleyError('invalid_payload', `"${ref}" matches more than one line; use its full id (parley lines list)`);
  throw new ParleyError('not_found', `No line "${ref}" (see: parley lines list)`);
}

function parseKind(value: string): LineKind {
  const parsed = LineKind.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('use sip, audiosocket, twilio or simulated');
  return parsed.data;
}

function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('a whole number');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

