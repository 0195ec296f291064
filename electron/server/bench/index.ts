/**
 * `parley bench <name> [--json]`: each benchmark makes its own data, prints progress for people and,
 * with --json, one JSON object on its last line. Register a benchmark here (one line).
 */
export interface Benchmark {
  description: string;
  /** `minutes`: how long a benchmark that runs for a while runs (`--minutes`), where it says so. */
  run(options: { json: boolean; log: (line: string) => void; minutes?: number }): Promise<Record<string, unknown>>;
}

export const benchmarks: Record<string, () => Promise<Benchmark>> = {
  // name: () => import('./name').then((m) => m.benchmark),
  adapters: () => import('./adapters').then((m) => m.benchmark),
  amd: () => import('./amd').then((m) => m.benchmark),
  analytics: () => import('./analytics').then((m) => m.benchmark),
  cli: () => import('./cli').then((m) => m.benchmark),
  console: () => import('./console').then((m) => m.benchmark),
  dialer: () => import('./dialer').then((m) => m.benchmark),
  durability: () => import('./durability').then((m) => m.benchmark),
  'dnc-import': () => import('./dnc-import').then((m) => m.benchmark),
  models: () => import('./models').then((m) => m.benchmark),
  review: () => import('./review').then((m) => m.benchmark),
  recording: () => import('./recording-cost').then((m) => m.benchmark),
  sip: () => import('./sip').then((m) => m.benchmark),
  sync: () => import('./sync').then((m) => m.benchmark),
  twilio: () => import('./twilio').then((m) => m.benchmark),
  voice: () => import('./voice').then((m) => m.benchmark),
};
