import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './fixtures';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `parley` as a real child process (async, so a loopback server in the test keeps serving); `input` goes to its stdin. */
export function runParley(args: string[], timeoutMs = 60_000, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin/parley.js'), ...args], { cwd: repoRoot, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The last stdout line parsed as JSON (the `--json` convention of every command). */
export const lastJson = <T>(text: string): T => JSON.parse(text.trim().split('\n').at(-1)!) as T;
