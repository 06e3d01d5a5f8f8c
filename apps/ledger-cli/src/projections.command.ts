/**
 * `projections rebuild [name]`: rebuilds one read model (or all) from the
 * start of the log while the API keeps accepting commands (see
 * libs/read-models/src/rebuild/projection-rebuild.ts for the protocol: the
 * running instances' projector for it is sent to standby by taking its
 * leader lock, its tables are truncated with its checkpoint in one
 * transaction, this process catches up to the head, and the instances carry
 * on from the new checkpoint when the lock is released).
 *
 * Queries of a read model being rebuilt see it empty, then partial, until
 * the rebuild reaches the head: a warning says so on standard error, with a
 * progress line (events/s, position, ETA against the current head).
 */
import { InvalidArgumentError } from 'commander';
import pg from 'pg';
import { restrictToLedgerWriter, type EventStore, type LogPosition } from '#event-store';
import { REBUILDABLE_PROJECTIONS, findRebuildableProjection, rebuildProjection, startGate, type RebuildResult } from '#read-models';

export const REBUILD_BATCH_SIZE = 2_000;
const PROGRESS_INTERVAL_MS = 250;
/** Without a terminal (a log file, a test): one plain line this often. */
const PLAIN_PROGRESS_INTERVAL_MS = 5_000;
const HEAD_REFRESH_MS = 2_000;

export function parseProjectionName(text: string): string {
  if (findRebuildableProjection(text) === undefined) {
    throw new InvalidArgumentError(`expected one of ${REBUILDABLE_PROJECTIONS.map((projection) => projection.name).join(', ')}`);
  }
  return text;
}

export interface RebuildCommandOutput {
  readonly progress: NodeJS.WriteStream;
  readonly report: NodeJS.WritableStream;
}

export async function runProjectionsRebuild(
  store: EventStore,
  databaseUrl: string,
  name: string | undefined,
  output: RebuildCommandOutput,
  signal: AbortSignal,
  /** LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS: the TRUNCATE may wait for queries of the tables, and a batch writes thousands of rows per statement. */
  statementTimeoutMs: number,
): Promise<RebuildResult[]> {
  const projections = name === undefined ? REBUILDABLE_PROJECTIONS : [findRebuildableProjection(name)!];
  const names = projections.map((projection) => projection.name);
  // Rebuilds write as the runtime role, like the projections they replace.
  const writer = await restrictToLedgerWriter(databaseUrl);
  output.progress.write(
    `warning: until this rebuild reaches the head, queries of ${names.join(', ')} see ${names.length === 1 ? 'it' : 'them'} empty or partial ` +
      `(and reads with X-Min-Position wait for ${names.length === 1 ? 'it' : 'them'}); commands are accepted throughout\n`,
  );
  const pool = new pg.Pool({ connectionString: writer.url, max: projections.length + 1, statement_timeout: statementTimeoutMs });
  pool.on('error', () => undefined);
  const progress = new ProgressLine(output.progress, names);
  let head: LogPosition | null = await store.headPosition();
  progress.head = head;
  const refreshHead = setInterval(() => {
    store.headPosition().then(
      (position) => {
        head = position;
        progress.head = head;
      },
      () => undefined,
    );
  }, HEAD_REFRESH_MS);
  const draw = setInterval(() => progress.draw(false), output.progress.isTTY ? PROGRESS_INTERVAL_MS : PLAIN_PROGRESS_INTERVAL_MS);
  try {
    // Several at once read the log together: each page once for all of them.
    const together = startGate(projections.length);
    const results = await Promise.all(
      projections.map((projection) =>
        rebuildProjection(pool, store, projection, {
          batchSize: REBUILD_BATCH_SIZE,
          signal,
          startTogether: together,
          onProgress: ({ events, position }) => progress.update(projection.name, events, position),
          endLeaderSession: (pid) => endSessionAsLogin(databaseUrl, pid),
        }),
      ),
    );
    progress.draw(true);
    if (signal.aborted) {
      output.progress.write('interrupted: the regular instances finish the catch-up from the checkpoint reached\n');
    }
    for (const result of results) {
      output.report.write(
        `rebuilt ${result.name}: ${result.events} events in ${oneDecimal(result.seconds)} s (${Math.round(result.events / Math.max(result.seconds, 0.001))} events/s)\n`,
      );
    }
    return results;
  } finally {
    clearInterval(refreshHead);
    clearInterval(draw);
    await pool.end();
  }
}

/**
 * Ends a leading instance's session with the privileges of DATABASE_URL's
 * login, not the runtime role's (see RebuildOptions.endLeaderSession): the
 * instances log in as that same user, or the operator's is a superuser.
 */
async function endSessionAsLogin(databaseUrl: string, pid: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}

/** One status line on standard error, redrawn in place on a terminal. */
class ProgressLine {
  head: LogPosition | null = null;
  private readonly started = performance.now();
  private readonly state = new Map<string, { events: number; position: LogPosition | null }>();

  constructor(
    private readonly out: NodeJS.WriteStream,
    names: readonly string[],
  ) {
    for (const name of names) this.state.set(name, { events: 0, position: null });
  }

  update(name: string, events: number, position: LogPosition | null): void {
    this.state.set(name, { events, position });
  }

  draw(final: boolean): void {
    const seconds = (performance.now() - this.started) / 1_000;
    const states = [...this.state.values()];
    const events = states.reduce((sum, state) => sum + state.events, 0);
    const rate = events / Math.max(seconds, 0.001);
    // Positions are (transaction id, sequence); the sequence counts events closely enough for an estimate.
    const headSeq = this.head === null ? 0 : Number(this.head.prepare);
    const behind = states.map((state) => Math.max(0, headSeq - (state.position === null ? 0 : Number(state.position.prepare))));
    const remaining = behind.reduce((sum, value) => sum + value, 0);
    const percent = headSeq === 0 ? 100 : Math.min(100, (100 * (headSeq * states.length - remaining)) / (headSeq * states.length));
    const slowest = states.reduce<LogPosition | null>((low, state) => (low === null || (state.position !== null && state.position.prepare < low.prepare) ? state.position : low), null);
    const eta = final ? 'done' : rate > 0 ? `ETA ${formatSeconds(remaining / rate)}` : 'ETA ?';
    const bar = barOf(percent, 24);
    const line =
      `${bar} ${oneDecimal(percent).padStart(5)}%  ${Math.round(rate).toLocaleString('en-US')} events/s  ` +
      `position ${slowest === null ? '-' : `${slowest.commit}.${slowest.prepare}`}  head ${this.head === null ? '-' : `${this.head.commit}.${this.head.prepare}`}  ${eta}`;
    if (this.out.isTTY) this.out.write(`\r${line}\u001b[K${final ? '\n' : ''}`);
    else this.out.write(`${line}\n`);
  }
}

function barOf(percent: number, width: number): string {
  const filled = Math.round((percent / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.ceil(seconds);
  return whole >= 60 ? `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}

/** Durations and percentages for people (not money, which is bigint cents everywhere). */
function oneDecimal(value: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false });
}
