/**
 * Runs the operator CLI as an operator does, from the build (`npm test`
 * builds first): `node dist/apps/ledger-cli/src/main.js <args>`.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

const CLI_ENTRY = join(process.cwd(), 'dist/apps/ledger-cli/src/main.js');

/** The CLI with `args`, its environment the test's own without DATABASE_URL or LEDGER_ADMIN_KEY, plus `env`. */
export function runCli(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 60_000): Promise<CliRun> {
  const started = performance.now();
  const { DATABASE_URL: _url, LEDGER_ADMIN_KEY: _key, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr, seconds: (performance.now() - started) / 1_000 });
    });
  });
}
