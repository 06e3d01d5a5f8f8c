/**
 * Rebuilding a projection from the start of the log while the ledger keeps
 * accepting commands (`npm run cli -- projections rebuild [name]`).
 *
 * 1. Take the subscription's leader lock, the very lock DurableSubscription
 *    leads with. If a running instance holds it, its session is ended
 *    (pg_terminate_backend): that instance's projector loses its connection,
 *    steps down to standby as after any connection loss (its open batch, if
 *    any, rolls back with its checkpoint), and keeps failing to retake the
 *    lock while the rebuild holds it. Other subscriptions are untouched.
 * 2. In one transaction: truncate the projection's tables, delete the rows
 *    it owns in shared tables (a view's streams' deadlines), and delete its
 *    checkpoint.
 * 3. Catch up from the start in this process, in large batches, each applied
 *    with its checkpoint in one transaction exactly as the subscription does,
 *    until a read of the log comes back empty (the head, including what
 *    commands appended meanwhile).
 * 4. Release the lock: the regular instances take over from the new
 *    checkpoint within their standby retry interval.
 *
 * While it runs, queries of that read model see it empty, then partial (and
 * read-your-writes waits on it time out). If the rebuild stops half way, the
 * read model is still a fold of the log up to its checkpoint, and the
 * regular instances finish the catch-up from there.
 */
import type pg from 'pg';
import { MAX_READ_COUNT, type EventStore, type LogPosition, type RecordedEvent } from '#event-store';
import { deadlineRowsOf } from '../deadlines/deadline-rows.js';
import { JOURNAL, JOURNAL_TABLES, journalProjection } from '../journal/journal-projection.js';
import { BUY_REQUEST_VIEW, BUY_REQUEST_VIEW_TABLES, buyRequestView, buyRequestViewProjection } from '../projections/buy-request-view.js';
import { DEAL_VIEW, DEAL_VIEW_TABLES, dealView, dealViewProjection } from '../projections/deal-view.js';
import { LISTING_VIEW, LISTING_VIEW_TABLES, listingView, listingViewProjection } from '../projections/listing-view.js';
import { sharedLog } from '../subscriptions/shared-log-pages.js';
import { applyBatch, leaderLockHolders, releaseLeaderLock, tryLeaderLock, type LogSubscriber } from '../subscriptions/durable-subscription.js';

export interface RebuildableProjection {
  /** The subscription's name (its checkpoint and leader lock). */
  readonly name: string;
  /** Every table it writes, truncated before the rebuild. */
  readonly tables: readonly string[];
  /** Rows it writes in a table it shares with other projections (a view's deadlines), deleted with the truncation. */
  readonly ownedRows?: ReadonlyArray<{ readonly sql: string; readonly parameters: readonly unknown[] }>;
  create(): LogSubscriber;
}

export const REBUILDABLE_PROJECTIONS: readonly RebuildableProjection[] = [
  { name: LISTING_VIEW, tables: LISTING_VIEW_TABLES, ownedRows: [deadlineRowsOf(listingView.streamPrefix)], create: listingViewProjection },
  { name: DEAL_VIEW, tables: DEAL_VIEW_TABLES, ownedRows: [deadlineRowsOf(dealView.streamPrefix)], create: dealViewProjection },
  { name: JOURNAL, tables: JOURNAL_TABLES, create: () => journalProjection() },
  { name: BUY_REQUEST_VIEW, tables: BUY_REQUEST_VIEW_TABLES, ownedRows: [deadlineRowsOf(buyRequestView.streamPrefix)], create: buyRequestViewProjection },
];

export function findRebuildableProjection(name: string): RebuildableProjection | undefined {
  return REBUILDABLE_PROJECTIONS.find((projection) => projection.name === name);
}

export interface RebuildProgress {
  readonly name: string;
  /** Events applied so far. */
  readonly events: number;
  /** Last position applied; null before the first batch. */
  readonly position: LogPosition | null;
}

export interface RebuildOptions {
  /** Events per batch (and per transaction); default 2,000. Rebuilds of several projections at once share the pages they read. */
  readonly batchSize?: number;
  /** How long to keep trying to take the leader lock; default 30 s. */
  readonly lockTimeoutMs?: number;
  /** Called after each batch. */
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly signal?: AbortSignal;
  /**
   * Rebuilds of several projections at once pass the same gate: each starts
   * reading the log only when all have emptied their tables, so they read it
   * together, each page once (shared-log-pages.ts), instead of the first one
   * running ahead alone.
   */
  readonly startTogether?: StartGate;
  /**
   * Ends the session of the instance that leads meanwhile; default
   * pg_terminate_backend on the rebuild's own connection. PostgreSQL lets a
   * session end another only if its current role has the privileges of the
   * role the other logged in as (a superuser's: only a superuser), and a
   * session switched to the runtime role has only the runtime role's: the
   * CLI ends them through a connection of its own login (projections.command.ts).
   */
  readonly endLeaderSession?: (pid: number) => Promise<void>;
}

export interface StartGate {
  /** Resolves when every rebuild of the gate has arrived or given up. */
  arrive(): Promise<void>;
  /** A rebuild that failed before arriving: the others do not wait for it. */
  giveUp(): void;
}

export function startGate(rebuilds: number): StartGate {
  let waiting = rebuilds;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const countDown = (): void => {
    waiting -= 1;
    if (waiting <= 0) open();
  };
  if (waiting <= 0) open();
  return {
    arrive: () => {
      countDown();
      return opened;
    },
    giveUp: countDown,
  };
}

export interface RebuildResult {
  readonly name: string;
  readonly events: number;
  readonly position: LogPosition | null;
  readonly seconds: number;
}

const LOCK_RETRY_MS = 50;

export async function rebuildProjection(pool: pg.Pool, store: EventStore, projection: RebuildableProjection, options: RebuildOptions = {}): Promise<RebuildResult> {
  const batchSize = Math.min(options.batchSize ?? 2_000, MAX_READ_COUNT);
  const subscriber = projection.create();
  const client = await pool.connect();
  let lostError: Error | null = null;
  const onError = (error: Error): void => {
    lostError = error;
  };
  client.on('error', onError);
  let holdsLock = false;
  let arrived = false;
  try {
    const endSession = options.endLeaderSession ?? (async (pid: number) => void (await client.query('SELECT pg_terminate_backend($1)', [pid])));
    holdsLock = await takeLeaderLock(client, projection.name, options.lockTimeoutMs ?? 30_000, options.signal, endSession);
    const started = performance.now();
    await client.query('BEGIN');
    try {
      await client.query(`TRUNCATE ${projection.tables.join(', ')}`);
      for (const rows of projection.ownedRows ?? []) await client.query(rows.sql, [...rows.parameters]);
      await client.query('DELETE FROM subscription_checkpoints WHERE subscription_name = $1', [projection.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    arrived = true;
    await options.startTogether?.arrive();
    let position: LogPosition | null = null;
    let events = 0;
    options.onProgress?.({ name: projection.name, events, position });
    // The next page is read while the current one is applied.
    const log = sharedLog(store, batchSize, undefined).join();
    try {
      let next: Promise<RecordedEvent[]> = log.read(undefined);
      for (;;) {
        const batch = await next;
        if (batch.length === 0 || options.signal?.aborted === true) break;
        next = log.read(batch[batch.length - 1]!.position);
        // Keep an unawaited read from surfacing as an unhandled rejection if applying fails.
        next.catch(() => undefined);
        position = await applyBatch(client, subscriber, batch);
        events += batch.length;
        options.onProgress?.({ name: projection.name, events, position });
      }
    } finally {
      log.leave();
    }
    if (lostError !== null) throw lostError;
    return { name: projection.name, events, position, seconds: (performance.now() - started) / 1_000 };
  } finally {
    if (!arrived) options.startTogether?.giveUp();
    if (holdsLock && lostError === null) await releaseLeaderLock(client, projection.name).catch(() => undefined);
    client.removeListener('error', onError);
    if (lostError !== null) client.on('error', () => undefined);
    client.release(lostError ?? undefined);
  }
}

/** Takes the lock, ending the session of whichever instance leads meanwhile. */
async function takeLeaderLock(
  client: pg.ClientBase,
  name: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  endSession: (pid: number) => Promise<void>,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await tryLeaderLock(client, name)) return true;
    for (const pid of await leaderLockHolders(client, name)) await endSession(pid);
    if (signal?.aborted === true) throw new Error(`rebuild of ${name} aborted before it took the leader lock`);
    if (Date.now() > deadline) throw new Error(`could not take the leader lock of ${name} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
  }
}
