/**
 * Read-your-writes (shared/API.md, Queries): a read that names a log
 * position waits, bounded, until every projection it reads has stored a
 * checkpoint at or past it. The projections subscribe to the whole log, so
 * their checkpoints pass every position, not only the positions of their
 * own streams: one comparison per projection says whether a write is in.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { comparePositions, formatPosition, type LogPosition } from '#event-store';
import { queryRows, type ReadModelDatabase } from './read-model-database.js';

/**
 * How long a read waits for the projections: the projector polls the log
 * every 100 ms and applies batches of 200 events, so a healthy projection is
 * well inside a second behind; 5 s is far past that and still shorter than
 * the usual 10 s timeout of an HTTP client, so the client hears 503 rather
 * than a dropped connection.
 */
export const READ_YOUR_WRITES_TIMEOUT_MS = 5_000;

/** Between two reads of subscription_checkpoints while waiting: a fifth of the projector's own poll. */
export const CHECKPOINT_POLL_INTERVAL_MS = 20;

/** What a client that heard READ_MODEL_BEHIND should wait before asking again (Retry-After). */
export const READ_MODEL_BEHIND_RETRY_AFTER_SECONDS = 1;

export interface ReadYourWritesSettings {
  /** Default READ_YOUR_WRITES_TIMEOUT_MS; tests shorten it. */
  readonly timeoutMs?: number;
  /** Default CHECKPOINT_POLL_INTERVAL_MS. */
  readonly pollIntervalMs?: number;
}

/** The stored checkpoints of the named subscriptions; a subscription that stored none yet is absent. */
export type CheckpointReader = (subscriptionNames: readonly string[]) => Promise<ReadonlyMap<string, LogPosition>>;

/** An operating error, not a fault: the projections have not reached the position within the bound. */
export class ReadModelBehindError extends Error {
  override readonly name = 'ReadModelBehindError';
  readonly code = 'READ_MODEL_BEHIND';
  readonly retryAfterSeconds = READ_MODEL_BEHIND_RETRY_AFTER_SECONDS;

  constructor(
    readonly position: LogPosition,
    /** The projections still behind it when the wait ended. */
    readonly behind: readonly string[],
    readonly waitedMs: number,
  ) {
    super(`The read models (${behind.join(', ')}) have not reached position ${formatPosition(position)} within ${waitedMs} ms: retry shortly`);
  }

  get details(): Readonly<Record<string, unknown>> {
    return { minPosition: formatPosition(this.position), behind: this.behind };
  }
}

export class ProjectionCatchUp {
  private readonly timeoutMs: number;
  private readonly pollIntervalMs: number;

  constructor(
    private readonly readCheckpoints: CheckpointReader,
    settings: ReadYourWritesSettings = {},
  ) {
    this.timeoutMs = settings.timeoutMs ?? READ_YOUR_WRITES_TIMEOUT_MS;
    this.pollIntervalMs = settings.pollIntervalMs ?? CHECKPOINT_POLL_INTERVAL_MS;
    if (!(this.timeoutMs >= 0 && this.pollIntervalMs > 0)) throw new Error(`invalid read-your-writes bounds: ${this.timeoutMs} ms, every ${this.pollIntervalMs} ms`);
  }

  /** Returns once every named projection has passed `position`; throws ReadModelBehindError when the bound passes first. */
  async waitFor(projections: readonly string[], position: LogPosition | undefined): Promise<void> {
    if (position === undefined) return;
    const startedAt = Date.now();
    for (;;) {
      const checkpoints = await this.readCheckpoints(projections);
      const behind = projections.filter((name) => {
        const checkpoint = checkpoints.get(name);
        return checkpoint === undefined || comparePositions(checkpoint, position) < 0;
      });
      if (behind.length === 0) return;
      const waitedMs = Date.now() - startedAt;
      if (waitedMs >= this.timeoutMs) throw new ReadModelBehindError(position, behind, this.timeoutMs);
      await sleep(Math.min(this.pollIntervalMs, this.timeoutMs - waitedMs));
    }
  }
}

/** Reads subscription_checkpoints (numeric(20) positions, read as text so no digit is lost). */
export function postgresCheckpointReader(database: ReadModelDatabase): CheckpointReader {
  return async (subscriptionNames) => {
    const rows = await queryRows<{ name: string; commit: string; prepare: string }>(
      database,
      `SELECT subscription_name AS name, commit_position::text AS commit, prepare_position::text AS prepare
         FROM subscription_checkpoints WHERE subscription_name = ANY($1::text[])`,
      [subscriptionNames],
    );
    return new Map(rows.map((row) => [row.name, { commit: BigInt(row.commit), prepare: BigInt(row.prepare) }]));
  };
}
