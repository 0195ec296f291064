import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultDataDir } from '../paths';
import { call, EXIT, withEngine } from './engine-helper';

/** `parley doctor [--data] [--json]`: checks the machine and the data folder, says what to fix. */
export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check this machine and the data folder (Node, disk, database, models, lines, ports) and say what to fix; exit status 1 when something is broken')
    .option('--data <dir>', 'data folder (database, logs, models)')
    .option('--json', 'print one JSON object instead of text')
    .action(async (flags: { data?: string; json?: boolean }) => {
      const dataDir = resolve(flags.data ?? defaultDataDir());
      const { formatDoctor, runDoctor } = await import('../doctor');
      const report = await runDoctor(dataDir, (run) =>
        withEngine(dataDir, (engine) => run({ models: () => call(engine, 'models.list', {}), lines: () => call(engine, 'lines.list', {}) })),
      );
      console.log(flags.json ? JSON.stringify(report) : formatDoctor(report));
      if (!report.ok) process.exitCode = EXIT.failure;
    });
}
