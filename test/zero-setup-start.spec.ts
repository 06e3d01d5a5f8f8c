/**
 * What a newcomer does: `npm start` on a machine with no database server.
 * Runs the built service (npm test builds first) as a child process with the
 * embedded PostgreSQL in a throw-away folder, and checks it also survives
 * being killed without a chance to stop its PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = 'dist/apps/ledger-api/src/main.js';
/** Cold start: initdb plus server start plus migrations, on a loaded CI machine. */
const START_TIMEOUT_MS = 45_000;

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
}

function startService(dataDir: string): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LEDGER_EMBEDDED_DATA_DIR: dataDir, LEDGER_EMBEDDED_PG_PORT: '0' };
  delete env.DATABASE_URL;
  delete env.LEDGER_ADMIN_KEY;
  delete env.EVENT_STORE;
  const child = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match !== null && output.includes('Try next:')) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code} before it was ready:\n${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('npm start on a machine without a database server', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ledger-start-'));
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts on the embedded PostgreSQL, prints URL and admin key, serves, restarts after a crash, and stops cleanly', async () => {
    const first = await startService(dataDir);
    children.push(first.child);
    expect(first.output()).toMatch(/admin key: +lk_admin_[A-Za-z0-9_-]{32}/);
    expect(first.output()).toContain(`curl ${first.url}/health/ready`);
    const ready = await fetch(`${first.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ok',
      checks: { eventStore: { status: 'up' }, database: { status: 'up' } },
      background: [
        expect.objectContaining({ name: 'reservation-process-manager', error: null }),
        expect.objectContaining({ name: 'listing-view', error: null }),
        expect.objectContaining({ name: 'deal-view', error: null }),
        expect.objectContaining({ name: 'journal', error: null }),
        expect.objectContaining({ name: 'buy-request-view', error: null }),
        expect.objectContaining({ name: 'deadline-enforcer', error: null }),
      ],
    });

    // Killed without a chance to stop its PostgreSQL: the next start must clear the leftover server.
    first.child.kill('SIGKILL');
    await exited(first.child);
    const second = await startService(dataDir);
    children.push(second.child);
    expect((await fetch(`${second.url}/health/ready`)).status).toBe(200);

    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
  });
});
