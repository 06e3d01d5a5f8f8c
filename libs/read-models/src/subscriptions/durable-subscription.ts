/**
 * A durable, single-leader subscription to the global log: projections and
 * process managers run on it.
 *
 * - Resumes from the position stored in `subscription_checkpoints`.
 * - Each batch is handled inside one PostgreSQL transaction that also stores
 *   the new checkpoint, on the connection holding the leader lock: a read
 *   model written through that transaction is exactly the fold of the log
 *   up to the checkpoint, after any crash. Effects outside PostgreSQL (a
 *   process manager's appends) happen at least once and must be idempotent.
 * - One active instance per subscription: a session advisory lock. Other
 *   instances wait in standby and take over when the leader's connection
 *   ends. If the leader's connection dies, its next checkpoint write fails
 *   and it steps down, so two leaders never both store progress.
 * - A batch that keeps failing is retried with backoff, then the
 *   subscription stops and says why in status(): never silently.
 */
import type pg from 'pg';
import { sharedLog } from './shared-log-pages.js';
import { MAX_READ_COUNT, waitUnlessAborted, type EventStore, type LogFilter, type LogPosition, type RecordedEvent } from '#event-store';

export interface LogSubscriber {
  /** Unique per subscription; names the checkpoint and the leader lock. */
  readonly name: string;
  readonly filter?: LogFilter;
  /** Events per batch this subscriber is built for, unless the subscription's options say otherwise. */
  readonly batchSize?: number;
  /**
   * Applies a batch, in log order. Writes to PostgreSQL go through
   * `transaction` (committed with the checkpoint). Must tolerate seeing
   * events again after a crash between an outside effect and the commit.
   */
  handle(events: readonly RecordedEvent[], transaction: pg.ClientBase): Promise<void>;
}

export type SubscriptionState = 'starting' | 'standby' | 'running' | 'failed' | 'stopped';

export interface SubscriptionStatus {
  readonly name: string;
  readonly state: SubscriptionState;
  /** Last position handled and stored; null before the first. */
  readonly position: LogPosition | null;
  readonly error: string | null;
}

export interface DurableSubscriptionOptions {
  /** Events per batch (and per transaction); default the subscriber's, else 200. */
  readonly batchSize?: number;
  /** Wait between polls once caught up; default 100 ms. */
  readonly pollIntervalMs?: number;
  /** How often a standby instance tries to become leader; default 1 s. */
  readonly standbyRetryMs?: number;
  /** Attempts per batch before the subscription stops as failed; default 5. */
  readonly maxBatchAttempts?: number;
  /** First retry pause, doubled each time; default 200 ms. */
  readonly retryBaseMs?: number;
}

/**
 * Batch size of the set-based projections: a batch costs them a few
 * statements whatever its size, so a projection that is behind catches up
 * fastest in large ones (npm run bench:projection, 100k events, all three
 * at once: 15k events/s at 1,000, 22k at 2,000, 25k at 4,000), while the
 * transaction stays short (under a tenth of a second; an open writing
 * transaction holds the log's readers back while it lasts).
 */
export const PROJECTION_BATCH_SIZE = 2_000;

/** Namespace of the two-key advisory locks held by subscription leaders ("ledger subscriptions"). */
const LEADER_LOCK_NAMESPACE = 7_310_442;

/**
 * Tries to take a subscription's leader lock (a session advisory lock) on
 * this connection: whoever holds it is the one instance that may move the
 * subscription's checkpoint. Released by releaseLeaderLock or when the
 * session ends.
 */
export async function tryLeaderLock(client: pg.ClientBase, name: string): Promise<boolean> {
  const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [LEADER_LOCK_NAMESPACE, name]);
  return locked.rows[0]!.locked;
}

export async function releaseLeaderLock(client: pg.ClientBase, name: string): Promise<void> {
  await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEADER_LOCK_NAMESPACE, name]);
}

/** The backend process ids holding a subscription's leader lock (none, or the one leader). */
export async function leaderLockHolders(client: pg.ClientBase, name: string): Promise<number[]> {
  const result = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_locks
     WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid = $1::int::oid AND objid = hashtext($2)::oid AND objsubid = 2`,
    [LEADER_LOCK_NAMESPACE, name],
  );
  return result.rows.map((row) => row.pid);
}

/**
 * Applies one batch in one transaction that also stores the checkpoint after
 * its last event: the read model is a fold of the log up to its checkpoint,
 * whatever happens. Rolls back and throws on any error. The caller holds the
 * subscription's leader lock on `client`.
 */
export async function applyBatch(client: pg.ClientBase, subscriber: LogSubscriber, batch: readonly RecordedEvent[]): Promise<LogPosition> {
  const last = batch[batch.length - 1]!.position;
  try {
    await client.query('BEGIN');
    await subscriber.handle(batch, client);
    await saveCheckpoint(client, subscriber.name, last);
    await client.query('COMMIT');
    return last;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export class DurableSubscription {
  private state: SubscriptionState = 'starting';
  private position: LogPosition | null = null;
  private error: string | null = null;
  private readonly controller = new AbortController();
  private running: Promise<void> | null = null;
  private readonly options: Required<DurableSubscriptionOptions>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly store: EventStore,
    private readonly subscriber: LogSubscriber,
    options: DurableSubscriptionOptions = {},
  ) {
    this.options = {
      batchSize: Math.min(options.batchSize ?? subscriber.batchSize ?? 200, MAX_READ_COUNT),
      pollIntervalMs: options.pollIntervalMs ?? 100,
      standbyRetryMs: options.standbyRetryMs ?? 1_000,
      maxBatchAttempts: options.maxBatchAttempts ?? 5,
      retryBaseMs: options.retryBaseMs ?? 200,
    };
  }

  start(): void {
    if (this.running !== null) return;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
    if (this.state !== 'failed') this.state = 'stopped';
  }

  status(): SubscriptionStatus {
    return { name: this.subscriber.name, state: this.state, position: this.position, error: this.error };
  }

  private hasFailed(): boolean {
    return this.state === 'failed';
  }

  private async run(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted && !this.hasFailed()) {
      try {
        const led = await this.leadWhileLeader(signal);
        if (!led) await waitUnlessAborted(this.options.standbyRetryMs, signal);
      } catch (error) {
        if (this.hasFailed()) return;
        // Lost the database or the store: step down, wait, and try to lead again.
        this.error = describe(error);
        this.state = 'standby';
        await waitUnlessAborted(this.options.standbyRetryMs, signal);
      }
    }
  }

  /** Returns false when another instance leads. */
  private async leadWhileLeader(signal: AbortSignal): Promise<boolean> {
    const leader = await this.pool.connect();
    // The connection is checked out for the whole leadership: if it dies while idle (the server
    // restarted, or an operator's rebuild ended the session to take the lock), pg emits 'error' on
    // it with no pool listener attached. Catch it and step down instead of crashing the process.
    const lost = new AbortController();
    let lostError: unknown = null;
    const onError = (error: Error): void => {
      lostError = error;
      lost.abort();
    };
    leader.on('error', onError);
    let holdsLock = false;
    try {
      holdsLock = await tryLeaderLock(leader, this.subscriber.name);
      if (!holdsLock) {
        this.state = 'standby';
        return false;
      }
      this.state = 'running';
      this.error = null;
      this.position = await loadCheckpoint(leader, this.subscriber.name);
      for await (const batch of this.readFrom(this.position ?? undefined, AbortSignal.any([signal, lost.signal]))) {
        await this.handleBatch(leader, batch);
        if (this.hasFailed()) return true;
      }
      if (lostError !== null) throw lostError;
      return true;
    } finally {
      if (holdsLock && lostError === null) await releaseLeaderLock(leader, this.subscriber.name).catch(() => undefined);
      leader.removeListener('error', onError);
      if (lostError !== null) leader.on('error', () => undefined);
      leader.release(lostError === null ? undefined : (lostError as Error));
    }
  }

  /**
   * The log after a position, batch by batch, then polling at the head. The
   * next page is read while a full one is handled, and pages are shared
   * with the other subscriptions of this process (shared-log-pages.ts).
   */
  private async *readFrom(after: LogPosition | undefined, signal: AbortSignal): AsyncGenerator<RecordedEvent[]> {
    const { batchSize, pollIntervalMs } = this.options;
    const log = sharedLog(this.store, batchSize, this.subscriber.filter).join();
    let next: Promise<RecordedEvent[]> | null = null;
    try {
      while (!signal.aborted) {
        const batch: RecordedEvent[] = await (next ?? log.read(after));
        next = null;
        if (batch.length === 0) {
          await waitUnlessAborted(pollIntervalMs, signal);
          continue;
        }
        after = batch[batch.length - 1]!.position;
        if (batch.length === batchSize) {
          // Behind: read ahead. An unawaited read must not surface as an unhandled rejection.
          next = log.read(after);
          next.catch(() => undefined);
        }
        yield batch;
      }
    } finally {
      log.leave();
    }
  }

  private async handleBatch(leader: pg.PoolClient, batch: readonly RecordedEvent[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        this.position = await applyBatch(leader, this.subscriber, batch);
        return;
      } catch (error) {
        this.error = describe(error);
        if (isConnectionLoss(error)) throw error;
        if (attempt >= this.options.maxBatchAttempts) {
          this.state = 'failed';
          this.error = `stopped after ${attempt} attempts at the batch after ${this.position === null ? 'the start' : `${this.position.commit}.${this.position.prepare}`}: ${describe(error)}`;
          return;
        }
        await waitUnlessAborted(this.options.retryBaseMs * 2 ** (attempt - 1), this.controller.signal);
      }
    }
  }
}

export async function loadCheckpoint(client: pg.ClientBase, name: string): Promise<LogPosition | null> {
  const result = await client.query<{ commit: string; prepare: string }>(
    'SELECT commit_position::text AS commit, prepare_position::text AS prepare FROM subscription_checkpoints WHERE subscription_name = $1',
    [name],
  );
  const row = result.rows[0];
  return row === undefined ? null : { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
}

async function saveCheckpoint(client: pg.ClientBase, name: string, position: LogPosition): Promise<void> {
  await client.query(
    `INSERT INTO subscription_checkpoints (subscription_name, commit_position, prepare_position, updated_at)
     VALUES ($1, $2, $3, now())
     ON CONFLICT (subscription_name) DO UPDATE
       SET commit_position = EXCLUDED.commit_position, prepare_position = EXCLUDED.prepare_position, updated_at = now()`,
    [name, position.commit.toString(), position.prepare.toString()],
  );
}

function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P') || code === 'ECONNRESET' || code === 'ECONNREFUSED')) ||
    (error instanceof Error && /Connection terminated|Client has encountered a connection error/i.test(error.message))
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
