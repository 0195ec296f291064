import type { Command } from 'commander';
import { ParleyError, ROLE_LABELS, type DownloadJob } from '../../contracts';
import type { Engine } from '../../engine';
import { call, withEngine as withToolEngine } from './engine-helper';
import { formatBytes } from '../../engine/models/progress';
import { parsePositiveInt } from './options';
import { FileProgress, ProgressPrinter } from './progress-bar';

interface CommonFlags {
  data?: string;
  json?: boolean;
  catalog?: string;
}

/** `parley models list|recommend|download|import|use|remove|verify`: the model manager from a terminal. */
export function registerModelsCommands(program: Command): void {
  const models = program.command('models').description('list, recommend, download, import and switch local models');
  const common = (command: Command) =>
    command
      .option('--data <dir>', 'data folder (database, logs, models)')
      .option('--catalog <file>', 'use this model catalog instead of the built-in one')
      .option('--json', 'print one JSON object instead of text');

  common(models.command('list').description('installed models, or the whole catalog with --available'))
    .option('--available', 'list the catalog: every model Parley knows, with size and whether it is installed')
    .action((flags: CommonFlags & { available?: boolean }) =>
      withEngine(flags, async (engine) => {
        if (flags.available) {
          const catalog = await call(engine, 'models.catalog', {});
          if (flags.json) return print(catalog);
          for (const { model, downloadBytes, verified, installed } of catalog) {
            const size = downloadBytes === null ? 'size unknown' : formatBytes(downloadBytes);
            console.log(`${installed ? '*' : ' '} ${model.id.padEnd(32)} ${model.role.padEnd(4)} ${size.padStart(8)}  ${model.name}${verified ? '' : '  (unverified)'}`);
          }
          return;
        }
        const installed = await call(engine, 'models.list', {});
        if (flags.json) return print(installed);
        if (installed.length === 0) return console.log('No models installed. See: parley models recommend');
        for (const m of installed) {
          console.log(`${m.active ? '*' : ' '} ${m.id.padEnd(32)} ${m.role.padEnd(4)} ${formatBytes(m.sizeBytes).padStart(8)}  ${m.name}${m.verified ? '' : '  (unverified)'}`);
        }
        console.log('* = active for its role');
      }),
    );

  common(models.command('recommend').description('look at this machine and recommend a model set, with reasons'))
    .option('--calls <n>', 'concurrent calls to leave room for', parsePositiveInt, 2)
    .option('--language <code>', 'main language of the calls (ISO 639-1)', 'en')
    .action((flags: CommonFlags & { calls: number; language: string }) =>
      withEngine(flags, async (engine) => {
        const r = await call(engine, 'models.recommend', { concurrentCalls: flags.calls, language: flags.language });
        if (flags.json) return print(r);
        const hw = r.hardware;
        console.log(`This machine: ${hw.cpuModel}, ${hw.physicalCores} cores, ${formatBytes(hw.totalRamBytes)} RAM, ${hw.llamaGpu ? `${hw.llamaGpu.toUpperCase()} GPU ${hw.gpuNames.join(', ')} (${formatBytes(hw.vramBytes)})` : 'no GPU'}`);
        console.log(`For ${r.concurrentCalls} concurrent call${r.concurrentCalls > 1 ? 's' : ''} (${formatBytes(r.budgetBytes)} of memory for models):`);
        for (const p of r.picks) {
          console.log(`  ${ROLE_LABELS[p.role].padEnd(16)} ${p.modelId}${p.installed ? ' (installed)' : ` (${formatBytes(p.downloadBytes)})`}`);
          console.log(`  ${''.padEnd(16)} ${p.reason}`);
        }
        for (const note of r.notes) console.log(`Note: ${note}`);
        console.log(`Download: ${formatBytes(r.totalDownloadBytes)}. Install it with: parley models download --recommended --calls ${r.concurrentCalls}`);
      }),
    );

  common(models.command('download').description('download models (resumable, verified) and make them active if their role has none'))
    .argument('[ids...]', 'catalog ids (see: parley models list --available)')
    .option('--recommended', 'download the recommended set for this machine')
    .option('--calls <n>', 'with --recommended: concurrent calls to plan for', parsePositiveInt, 2)
    .option('--trust-unverified', 'accept files whose size and hash the catalog cannot confirm (the computed hash is recorded)')
    .option('--url <url>', 'download a one-file model from this URL instead of the catalog')
    .action((ids: string[], flags: CommonFlags & { recommended?: boolean; calls: number; trustUnverified?: boolean; url?: string }) =>
      withEngine(flags, async (engine) => {
        let wanted = ids;
        if (flags.recommended) {
          const r = await call(engine, 'models.recommend', { concurrentCalls: flags.calls });
          wanted = [...ids, ...r.picks.filter((p) => !p.installed).map((p) => p.modelId)];
          if (wanted.length === 0 && !flags.json) console.log('The recommended models are already installed.');
        }
        if (wanted.length === 0 && !flags.recommended) throw new ParleyError('invalid_payload', 'Name the models to download, or pass --recommended');
        const jobs = await downloadAll(engine, wanted, { trustUnverified: Boolean(flags.trustUnverified), ...(flags.url ? { url: flags.url } : {}) }, Boolean(flags.json));
        const failed = jobs.filter((j) => j.state !== 'completed');
        if (flags.json) print(jobs);
        else for (const j of failed) console.error(`parley: ${j.name}: ${j.failure?.message ?? j.state}`);
        if (failed.length > 0) process.exitCode = 1;
      }),
    );

  common(models.command('import').description('import models from a folder (a USB stick, a share): recognised by hash, verified'))
    .argument('<folder>', 'folder holding model files (searched a few levels deep)')
    .option('--link', 'hard-link instead of copying when the folder is on the same disk')
    .option('--trust-unverified', 'accept files the catalog has no verified hash for')
    .action((folder: string, flags: CommonFlags & { link?: boolean; trustUnverified?: boolean }) =>
      withEngine(flags, async (engine) => {
        // On a terminal, a progress line per file while it is checked and copied (models are gigabytes).
        const progress = new Map<string, FileProgress>();
        const off = engine.subscribe((event) => {
          if (flags.json || event.name !== 'models.importProgress') return;
          const { file, phase, doneBytes, totalBytes } = event.payload;
          const key = `${phase}:${file}`;
          if (!progress.has(key)) {
            for (const other of progress.values()) other.done();
            progress.set(key, new FileProgress(process.stderr, `${phase} ${file}`, totalBytes));
          }
          progress.get(key)!.update(doneBytes, '');
        });
        const outcome = await call(engine, 'models.import', { folder, mode: flags.link ? 'link' : 'copy', trustUnverified: Boolean(flags.trustUnverified) }).finally(() => {
          off();
          for (const p of progress.values()) p.done();
        });
        if (flags.json) print(outcome);
        else {
          for (const m of outcome.imported) console.log(`Imported ${m.name} (${m.modelId}, ${m.files} file${m.files > 1 ? 's' : ''})`);
          for (const id of outcome.alreadyInstalled) console.log(`Already installed: ${id}`);
          for (const m of outcome.incomplete) console.log(`Incomplete: ${m.modelId} is missing ${m.missing.join(', ')}`);
          for (const r of outcome.rejected) console.error(`Rejected ${r.file}: ${r.message}`);
          if (outcome.imported.length === 0 && outcome.rejected.length === 0) console.log('No catalog model found in that folder.');
        }
        if (outcome.rejected.length > 0) process.exitCode = 1;
      }),
    );

  common(models.command('use').description('make an installed model the active one for its role (no restart; running calls finish on the old one)'))
    .argument('<id>', 'installed model id')
    .action((id: string, flags: CommonFlags) =>
      withEngine(flags, async (engine) => {
        const model = await call(engine, 'models.use', { modelId: id });
        if (flags.json) print(model);
        else console.log(`Active ${ROLE_LABELS[model.role].toLowerCase()}: ${model.name} (calls in progress finish on the previous one).`);
      }),
    );

  common(models.command('remove').description('delete an installed model (or the partial download of one)'))
    .argument('<id>', 'model id')
    .action((id: string, flags: CommonFlags) =>
      withEngine(flags, async (engine) => {
        const result = await call(engine, 'models.remove', { modelId: id });
        if (flags.json) print(result);
        else console.log(`Removed ${id}.`);
      }),
    );

  common(models.command('mirrors').description('download sources: try another server first for URLs with a given prefix'))
    .option('--add <from=to>', 'add a rule, e.g. https://huggingface.co/=http://models.office.lan/hf/')
    .option('--remove <from>', 'remove the rules for this prefix')
    .action((flags: CommonFlags & { add?: string; remove?: string }) =>
      withEngine(flags, async (engine) => {
        let { mirrors } = await call(engine, 'models.getSettings', {});
        if (flags.add) {
          const split = flags.add.indexOf('=');
          if (split <= 0) throw new ParleyError('invalid_payload', '--add takes FROM=TO, two URL prefixes');
          mirrors = [...mirrors, { from: flags.add.slice(0, split), to: flags.add.slice(split + 1) }];
        }
        if (flags.remove) mirrors = mirrors.filter((m) => m.from !== flags.remove);
        if (flags.add || flags.remove) ({ mirrors } = await call(engine, 'models.setSettings', { mirrors }));
        if (flags.json) return print(mirrors);
        if (mirrors.length === 0) console.log('No mirrors: downloads use the catalog URLs.');
        for (const m of mirrors) console.log(`${m.from} -> ${m.to}`);
      }),
    );

  common(models.command('verify').description('load an installed model with its engine to check it works here'))
    .argument('<id>', 'installed model id')
    .action((id: string, flags: CommonFlags) =>
      withEngine(flags, async (engine) => {
        const check = await call(engine, 'models.verifyLoad', { modelId: id });
        if (flags.json) print(check);
        else console.log(`${check.ok ? 'OK' : 'FAILED'}: ${check.detail} (${check.loadMs} ms)`);
        if (!check.ok) process.exitCode = 1;
      }),
    );
}

const FINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

async function downloadAll(engine: Engine, ids: string[], options: { trustUnverified: boolean; url?: string }, json: boolean): Promise<DownloadJob[]> {
  const printer = new ProgressPrinter(process.stderr.isTTY ? process.stderr : process.stdout);
  const started: DownloadJob[] = [];
  const finished = new Map<string, DownloadJob>();
  const waiting = new Map<string, (job: DownloadJob) => void>();
  const settle = (job: DownloadJob) => {
    if (!FINAL.has(job.state) || finished.has(job.id)) return;
    finished.set(job.id, job);
    waiting.get(job.id)?.(job);
  };
  // Progress and the end of each download arrive as contract events (`models.download`).
  const off = engine.subscribe((event) => {
    if (event.name !== 'models.download') return;
    if (!json && started.some((j) => j.id === event.payload.id)) printer.update(event.payload);
    settle(event.payload);
  });
  const interrupt = () => {
    for (const job of started) void call(engine, 'models.cancel', { jobId: job.id }).catch(() => undefined);
    console.error('\nCancelled. Run the same command again to resume where it stopped.');
  };
  process.once('SIGINT', interrupt);
  try {
    for (const id of ids) started.push(await call(engine, 'models.download', { modelId: id, ...options }));
    // A download that ended before we listened is in the list already.
    for (const job of await call(engine, 'models.downloads', {})) if (started.some((j) => j.id === job.id)) settle(job);
    return await Promise.all(started.map((job) => finished.get(job.id) ?? new Promise<DownloadJob>((resolve) => waiting.set(job.id, resolve))));
  } finally {
    off();
    process.off('SIGINT', interrupt);
  }
}

/** The shared one-shot engine, with another model catalog when --catalog names one. */
function withEngine(flags: CommonFlags, run: (engine: Engine) => Promise<void>): Promise<void> {
  return withToolEngine(flags.data, run, flags.catalog ? { models: { catalogPath: flags.catalog } } : {});
}


function print(value: unknown): void {
  console.log(JSON.stringify(value));
}
