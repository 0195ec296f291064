import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { addTestAccountToDataDir } from './accounts';
import { repoRoot } from './fixtures';

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, for crash-safety tests. */
  kill(): Promise<void>;
}

/** Starts the built `parley serve` as a real child process on a free loopback port, with the test account in its data folder. */
export async function startServeProcess(dataDir: string, extraArgs: string[] = [], options: { testAccount?: boolean } = {}): Promise<ServeProcess> {
  if (options.testAccount !== false) addTestAccountToDataDir(dataDir);
  const child = spawn(process.execPath, [join(repoRoot, 'bin/parley.js'), 'serve', '--data', dataDir, '--port', '0', ...extraArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`parley serve did not start in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const match = /Parley console: (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`parley serve exited with ${code}:\n${out}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
