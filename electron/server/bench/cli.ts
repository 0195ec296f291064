import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark } from './index';
import { percentile, round } from './voice-sim';

const RUNS = 15;
/** The bar for `parley --help`. */
const HELP_BUDGET_MS = 300;

/**
 * `parley bench cli`: how long `parley --help` and `parley campaign list --help` take as a person
 * runs them (a new process each time: Node's start, loading the CLI, printing), 15 runs each after
 * one to warm the file cache. Native adapters, the engine and the server load only when a command
 * needs them.
 */
export const benchmark: Benchmark = {
  description: '`parley --help` start-up time (new process each run)',
  async run({ log }) {
    const cli = [new URL('../cli.js', import.meta.url), new URL('./cli.js', import.meta.url)].map((url) => fileURLToPath(url)).find((path) => existsSync(path));
    if (!cli) throw new Error('cli.js is not built; run: npm run build');
    const time = (args: string[]) => {
      const samples: number[] = [];
      spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
      for (let i = 0; i < RUNS; i++) {
        const started = performance.now();
        const run = spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore' });
        if (run.status !== 0) throw new Error(`parley ${args.join(' ')} exited with ${run.status}`);
        samples.push(performance.now() - started);
      }
      return samples;
    };
    const help = time(['--help']);
    const sub = time(['campaign', 'list', '--help']);
    const node: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
      node.push(performance.now() - started);
    }
    const result = {
      helpP50Ms: round(percentile(help, 0.5)!),
      helpP95Ms: round(percentile(help, 0.95)!),
      subcommandHelpP50Ms: round(percentile(sub, 0.5)!),
      nodeStartP50Ms: round(percentile(node, 0.5)!),
      budgetMs: HELP_BUDGET_MS,
      runs: RUNS,
    };
    log(`parley --help: p50 ${result.helpP50Ms} ms, p95 ${result.helpP95Ms} ms (budget ${HELP_BUDGET_MS} ms); a subcommand's --help p50 ${result.subcommandHelpP50Ms} ms; Node alone ${result.nodeStartP50Ms} ms`);
    return result;
  },
};
