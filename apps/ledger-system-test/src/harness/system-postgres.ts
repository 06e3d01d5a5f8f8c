/**
 * The system test's own PostgreSQL: the embedded server (libs/event-store
 * startEmbeddedPostgres) in a temp folder, with durable settings (fsync on:
 * a crash must lose nothing committed), never the machine's shared server.
 * Fault scenarios stop it the way a crash does and start it again on the
 * same folder and port, so the service's connection strings stay valid:
 *
 * - crashImmediate(): what `pg_ctl stop -m immediate` does, a SIGQUIT to the
 *   postmaster, which makes every backend quit at once without a checkpoint;
 *   the next start runs crash recovery from the WAL.
 * - kill9(): SIGKILL to the postmaster and every backend at once (a machine
 *   losing the processes); the next start runs crash recovery too.
 * - start(): starts the server again on the same data folder and port.
 */
import { readFileSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningPostgres } from '#event-store';

/** Stopping must end in well under this; past it the harness gives up and says so. */
const STOP_TIMEOUT_MS = 15_000;

/** Data folders of the servers running now, so an interrupted run can stop them on its way out. */
const RUNNING_DATA_DIRS = new Set<string>();

/** SIGQUITs (immediate stop) every server still running; synchronous, for an exit or signal handler. */
export function stopRunningPostgresImmediately(): void {
  for (const dataDir of RUNNING_DATA_DIRS) {
    try {
      process.kill(Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]), 'SIGQUIT');
    } catch {
      // Gone already.
    }
  }
}

export class SystemPostgres {
  private running: RunningPostgres | null = null;
  private port: number | undefined;
  /** Connection string of the server's `postgres` database (set once started). */
  serverUrl = '';

  constructor(readonly dataDir: string) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Starts the server (first time: initialises the folder and picks a free port; later: the same port). */
  async start(): Promise<void> {
    if (this.running !== null) throw new Error('PostgreSQL is already running');
    const running = await startEmbeddedPostgres({ dataDir: this.dataDir, preferredPort: this.port });
    if (this.port !== undefined && running.port !== this.port) {
      await running.stop();
      throw new Error(`PostgreSQL came back on port ${running.port}, not ${this.port}: something else took the port`);
    }
    this.port = running.port;
    this.running = running;
    RUNNING_DATA_DIRS.add(this.dataDir);
    this.serverUrl = running.url;
  }

  /** A clean (fast) shutdown, as at the end of the run. */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === null) return;
    this.running = null;
    RUNNING_DATA_DIRS.delete(this.dataDir);
    await withTimeout(running.stop(), STOP_TIMEOUT_MS, 'PostgreSQL did not stop');
  }

  /** `pg_ctl stop -m immediate`: SIGQUIT to the postmaster; returns once every server process has exited. */
  async crashImmediate(): Promise<void> {
    const postmaster = await this.requirePostmasterPid();
    const processes = [postmaster, ...(await childrenOf(postmaster))];
    process.kill(postmaster, 'SIGQUIT');
    this.running = null;
    RUNNING_DATA_DIRS.delete(this.dataDir);
    await waitForExit(processes, 'an immediate stop');
  }

  /** SIGKILL to the postmaster and every one of its backends. */
  async kill9(): Promise<void> {
    const postmaster = await this.requirePostmasterPid();
    const processes = [postmaster, ...(await childrenOf(postmaster))];
    for (const pid of processes) signal(pid, 'SIGKILL');
    this.running = null;
    RUNNING_DATA_DIRS.delete(this.dataDir);
    await waitForExit(processes, 'kill -9');
  }

  /** crashImmediate(), a pause of `downMs`, and start() again. */
  async restartImmediate(downMs = 0): Promise<void> {
    await this.crashImmediate();
    if (downMs > 0) await sleep(downMs);
    await this.start();
  }

  /** Creates a database on the server and answers its connection string (as the server's superuser). */
  async createDatabase(name: string): Promise<string> {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new RangeError(`not a plain database name: ${name}`);
    const client = new pg.Client({ connectionString: this.serverUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    const url = new URL(this.serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** Removes the data folder (after stop()). */
  async remove(): Promise<void> {
    await rm(this.dataDir, { recursive: true, force: true });
  }

  private async requirePostmasterPid(): Promise<number> {
    if (this.running === null) throw new Error('PostgreSQL is not running');
    const pid = Number((await readFile(`${this.dataDir}/postmaster.pid`, 'utf8')).split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no postmaster pid in ${this.dataDir}/postmaster.pid`);
    return pid;
  }
}

/** Direct children of a process, from /proc (Linux): the postmaster's backends and auxiliary processes. */
async function childrenOf(parent: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null);
    if (stat === null) continue;
    // The command name in parentheses may contain spaces: the fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === parent) children.push(Number(entry));
  }
  return children;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Running: exists and is not a zombie (an orphaned backend's zombie waits for an init that may never reap it). */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat !== null && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

async function waitForExit(pids: readonly number[], what: string): Promise<void> {
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  for (;;) {
    const alive = (await Promise.all(pids.map(async (pid) => ((await isRunning(pid)) ? pid : null)))).filter((pid) => pid !== null);
    if (alive.length === 0) return;
    if (Date.now() > deadline) throw new Error(`PostgreSQL processes ${alive.join(', ')} still alive ${STOP_TIMEOUT_MS} ms after ${what}`);
    await sleep(20);
  }
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} within ${timeoutMs} ms`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}
