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
import { readCatchUp, waitUnlessAborted, type EventStore, type LogFilter, type LogPosition, type RecordedEvent } from '#event-store';

export interface LogSubscriber {
  /** Unique per subscription; names the checkpoint and the leader lock. */
  readonly name: string;
  readonly filter?: LogFilter;
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
  /** Events per batch (and per transaction); default 200. */
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

/** Namespace of the two-key advisory locks held by subscription leaders ("ledger subscriptions"). */
const LEADER_LOCK_NAMESPACE = 7_310_442;

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
      batchSize: options.batchSize ?? 200,
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
    let holdsLock = false;
    try {
      const locked = await leader.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked', [
        LEADER_LOCK_NAMESPACE,
        this.subscriber.name,
      ]);
      holdsLock = locked.rows[0]!.locked;
      if (!holdsLock) {
        this.state = 'standby';
        return false;
      }
      this.state = 'running';
      this.error = null;
      this.position = await loadCheckpoint(leader, this.subscriber.name);
      for await (const batch of readCatchUp(this.store, {
        after: this.position ?? undefined,
        filter: this.subscriber.filter,
        batchSize: this.options.batchSize,
        pollIntervalMs: this.options.pollIntervalMs,
        signal,
      })) {
        await this.handleBatch(leader, batch);
        if (this.hasFailed()) return true;
      }
      return true;
    } finally {
      if (holdsLock) await leader.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEADER_LOCK_NAMESPACE, this.subscriber.name]).catch(() => undefined);
      leader.release();
    }
  }

  private async handleBatch(leader: pg.PoolClient, batch: readonly RecordedEvent[]): Promise<void> {
    const last = batch[batch.length - 1]!.position;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await leader.query('BEGIN');
        await this.subscriber.handle(batch, leader);
        await saveCheckpoint(leader, this.subscriber.name, last);
        await leader.query('COMMIT');
        this.position = last;
        return;
      } catch (error) {
        await leader.query('ROLLBACK').catch(() => undefined);
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

async function loadCheckpoint(client: pg.ClientBase, name: string): Promise<LogPosition | null> {
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
