import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { errorJson, EXIT, exitStatusFor } from './cli/engine-helper';
import { registerBenchCommand } from './cli/bench-command';
import { registerCampaignCommands } from './cli/campaign-commands';
import { registerContactsCommands } from './cli/contacts-commands';
import { registerDbCommands } from './cli/db-commands';
import { registerDoctorCommand } from './cli/doctor-command';
import { registerLinesCommands } from './cli/lines-commands';
import { registerModelsCommands } from './cli/models-commands';
import { registerServeCommands } from './cli/serve-commands';
import { registerUsersCommands } from './cli/users-commands';
import { registerTokensCommands } from './cli/tokens-commands';
import { PARLEY_VERSION } from './version';

/**
 * The `parley` command line. Entry points (this, and the Electron main) are the only places that
 * read the environment. Each command group lives in ./cli and is registered here explicitly.
 */
export function buildProgram(): Command {
  const program = new Command('parley')
    .description('Parley: a local-first AI call center. Runs the engine and serves the console.')
    .addHelpText('after', '\nExit status: 0 ok, 1 failure, 2 usage (bad options or input), 3 not found, 4 refused (by policy or access).\nWith --json, the result is one JSON line on standard output and an error one JSON line on standard error: {"error":{"code","message"}}.')
    .version(PARLEY_VERSION)
    .showHelpAfterError();
  registerServeCommands(program);
  registerModelsCommands(program);
  registerContactsCommands(program);
  registerCampaignCommands(program);
  registerLinesCommands(program);
  registerUsersCommands(program);
  registerTokensCommands(program);
  registerDbCommands(program);
  registerDoctorCommand(program);
  registerBenchCommand(program);
  return program;
}

/** Commands that keep running (a server) rather than finishing their work and returning. */
const LONG_RUNNING = new Set(['serve', 'demo']);

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  const json = argv.includes('--json');
  // Usage mistakes come back as errors (exit status 2) instead of commander exiting on its own.
  const overrideExits = (command: Command) => {
    command.exitOverride();
    command.configureOutput({ writeErr: (text) => (json ? undefined : process.stderr.write(text)) });
    for (const sub of command.commands) overrideExits(sub);
  };
  overrideExits(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end the same way, successfully.
      if (error.exitCode === 0) return;
      if (json) console.error(JSON.stringify({ error: { code: 'usage', message: error.message.replace(/^error: /, '') } }));
      process.exitCode = EXIT.usage;
    } else {
      console.error(json ? errorJson(error) : `parley: ${(error as Error).message}`);
      process.exitCode = exitStatusFor(error);
    }
  }
  // A one-shot command has disposed its engine by now, but a native binding (whisper.cpp's log hook,
  // llama.cpp threads) can keep the event loop alive: leave once the command is done.
  const command = program.args[0];
  if (!command || !LONG_RUNNING.has(command)) {
    const timer = setTimeout(() => process.exit(process.exitCode ?? 0), 1_000);
    timer.unref();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main(process.argv);
