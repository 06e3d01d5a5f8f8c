/**
 * One process of the real service (the API or the worker), started from the
 * built dist/ exactly as an operator starts it (`node dist/.../main.js`), its
 * standard output and error appended to a log file that survives restarts.
 *
 * - start(): spawns it and waits until it is ready (the API: GET
 *   /health/ready answers 200; the worker: its start-up line is in its log).
 * - stop(): SIGTERM, the graceful shutdown; kill9(): SIGKILL, a crash.
 * - An exit the harness did not ask for is remembered (unexpectedExit) and
 *   fails the scenario that ran meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** The API's start-up (migrations check, NestJS, the subscriptions' thread) takes seconds; a minute is a failure. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;

export interface ServiceProcessOptions {
  /** `api` or `worker`: names the log lines and errors. */
  readonly name: string;
  /** The compiled entry point, e.g. dist/apps/ledger-api/src/main.js. */
  readonly entry: string;
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  /** Resolves once the started process serves; rejects with why not. */
  readonly waitUntilReady: (service: ServiceProcess, logOffset: number) => Promise<void>;
}

/** Every child running now, so an interrupted run can kill them on its way out (killRunningServices). */
const RUNNING_CHILDREN = new Set<ChildProcess>();

/** SIGKILLs every service process still running; synchronous, for an exit or signal handler. */
export function killRunningServices(): void {
  for (const child of RUNNING_CHILDREN) child.kill('SIGKILL');
}

export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private stopping = false;
  /** Exits nobody asked for (a crash of the service), with their code or signal. */
  readonly unexpectedExits: string[] = [];
  /** How often it was started (restarts included). */
  starts = 0;

  constructor(readonly options: ServiceProcessOptions) {}

  get name(): string {
    return this.options.name;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isRunning(): boolean {
    return this.child !== null;
  }

  async start(): Promise<void> {
    if (this.child !== null) throw new Error(`${this.name} is already running (pid ${this.child.pid})`);
    const logOffset = fileSize(this.options.logFile);
    const log = openSync(this.options.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [this.options.entry], { env: { ...this.options.env }, stdio: ['ignore', log, log] });
    } finally {
      closeSync(log);
    }
    this.child = child;
    RUNNING_CHILDREN.add(child);
    this.stopping = false;
    this.starts += 1;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        RUNNING_CHILDREN.delete(child);
        if (!this.stopping) this.unexpectedExits.push(`${this.name} (pid ${child.pid}) exited by itself: ${signal ?? `code ${code}`}`);
        if (this.child === child) this.child = null;
        resolve();
      });
    });
    const readyOrExit = await Promise.race([
      this.options.waitUntilReady(this, logOffset).then(
        () => (this.child === child ? ('ready' as const) : ('exited' as const)),
        () => 'exited' as const,
      ),
      this.exited.then(() => 'exited' as const),
      sleep(READY_TIMEOUT_MS).then(() => 'timeout' as const),
    ]);
    if (readyOrExit === 'ready') return;
    if (readyOrExit === 'timeout') await this.kill9();
    throw new Error(`${this.name} did not become ready (${readyOrExit}); its log: ${this.options.logFile}\n${await this.logTail(logOffset)}`);
  }

  /** SIGTERM and wait for the graceful shutdown (SIGKILL if it takes too long). */
  async stop(): Promise<void> {
    await this.signalAndWait('SIGTERM');
  }

  /** kill -9: the process dies at once, whatever it was doing. */
  async kill9(): Promise<void> {
    await this.signalAndWait('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The log written since `offset` (bytes), at most the last 40 lines. */
  async logTail(offset = 0, lines = 40): Promise<string> {
    return (await readLogSince(this.options.logFile, offset)).split('\n').slice(-lines).join('\n');
  }

  private async signalAndWait(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (child === null) return;
    this.stopping = true;
    child.kill(signal);
    const stopped = await Promise.race([this.exited.then(() => true), sleep(STOP_TIMEOUT_MS).then(() => false)]);
    if (!stopped) {
      child.kill('SIGKILL');
      await this.exited;
      throw new Error(`${this.name} did not stop within ${STOP_TIMEOUT_MS} ms of ${signal}; killed`);
    }
  }
}

/** Ready when GET <url>/health/ready answers 200. */
export function httpReady(baseUrl: string): (service: ServiceProcess, logOffset: number) => Promise<void> {
  return async (service) => {
    for (;;) {
      if (!service.isRunning) return;
      const status = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.arrayBuffer().then(() => response.status),
        () => 0,
      );
      if (status === 200) return;
      await sleep(READY_POLL_MS);
    }
  };
}

/** Ready when the log, after `logOffset`, contains the line the process prints once it runs. */
export function logLineReady(marker: string): (service: ServiceProcess, logOffset: number) => Promise<void> {
  return async (service, logOffset) => {
    for (;;) {
      if (!service.isRunning) return;
      if ((await readLogSince(service.options.logFile, logOffset)).includes(marker)) return;
      await sleep(READY_POLL_MS);
    }
  };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function readLogSince(file: string, offset: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => null);
  if (handle === null) return '';
  try {
    const size = (await handle.stat()).size;
    const length = Math.max(0, size - offset);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, offset);
    return buffer.toString('utf8');
  } finally {
    await handle.close();
  }
}
