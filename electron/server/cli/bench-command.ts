import type { Command } from 'commander';
import { benchmarks } from '../bench';
import { parsePositiveInt } from './options';
import { ParleyError } from '../../contracts';

/** `parley bench <name> [--json]`. */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description(`run a benchmark and print its figures (${Object.keys(benchmarks).join(', ') || 'none yet'})`)
    .argument('<name>', 'which benchmark')
    .option('--json', 'print one JSON object with the figures as the last line')
    .option('--minutes <n>', 'how long a benchmark that runs for a while runs (durability: the soak)', parsePositiveInt)
    .action(async (name: string, opts: { json?: boolean; minutes?: number }) => {
      const load = benchmarks[name];
      if (!load) throw new ParleyError('not_found', `Unknown benchmark "${name}". Known: ${Object.keys(benchmarks).join(', ') || 'none'}`);
      const bench = await load();
      const log = (line: string) => (opts.json ? console.error(line) : console.log(line));
      const result = await bench.run({ json: Boolean(opts.json), log, minutes: opts.minutes });
      if (opts.json) console.log(JSON.stringify(result));
      else for (const [key, value] of Object.entries(result)) console.log(`${key}: ${JSON.stringify(value)}`);
      // A native engine may keep a handle open after its model is released (seen after the voice
      // benchmark loaded whisper.cpp and llama.cpp); the figures are out, so do not hang on it.
      setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
    });
}
