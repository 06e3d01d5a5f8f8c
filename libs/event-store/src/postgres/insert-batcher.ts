/**
 * Group commit for single-event appends. Each append to PostgreSQL costs a
 * statement, a transaction and a WAL flush, and in Node a query round trip
 * with its socket write; under load those, not the rows, are most of the
 * work. Appends of one event each, made while earlier inserts are still
 * running, wait here and go to the server as one INSERT of many rows.
 *
 * Natural batching: nothing waits on a timer. An append that finds a free
 * slot (fewer than `maxInFlight` inserts running) goes at once, so a quiet
 * system answers exactly as fast as without batching; under load the queue
 * fills while the slots are busy and each insert takes what has gathered.
 *
 * Each row stands alone inside its batch: it is inserted only when the event
 * it follows is stored with the hash it chains from, and `ON CONFLICT DO
 * NOTHING` skips a row whose (stream, revision) or event id is taken, by a
 * concurrent writer or by an earlier row of the same batch. A skipped row is
 * answered `null`, exactly as a lone insert refused by a unique key, and the
 * caller's usual conflict handling takes over. Only single-event appends are
 * grouped: their all-or-nothing is the row's own.
 *
 * A batch that fails for another reason (a bad row) is retried row by row, so
 * one caller's error never becomes another's; a lost connection fails every
 * row of the batch, as it would have failed each of them alone.
 */

export interface RowToInsert {
  readonly streamId: string;
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly revision: string;
  readonly prevHash: string;
  readonly hash: string;
  /** The revision and hash of the event this row follows; null for the first event of a stream. */
  readonly baseRevision: string | null;
  readonly baseHash: string | null;
}

/** Where an inserted row was stored. */
export interface InsertedRow {
  readonly revision: string;
  readonly commit: string;
  readonly prepare: string;
}

/** Inserts the rows it can; answers the stored place of each inserted row by event id. */
export type InsertRows = (rows: readonly RowToInsert[]) => Promise<ReadonlyMap<string, InsertedRow>>;

export interface InsertBatcherOptions {
  /** Inserts running at once; default 4. */
  readonly maxInFlight?: number;
  /** Rows in one insert; default 500. */
  readonly maxBatchSize?: number;
  /** Errors that would fail each row alone too (the server is unreachable): not retried row by row. */
  readonly failsEveryRow?: (error: unknown) => boolean;
}

interface Waiting {
  readonly row: RowToInsert;
  readonly resolve: (inserted: InsertedRow | null) => void;
  readonly reject: (error: unknown) => void;
}

export class InsertBatcher {
  private readonly waiting: Waiting[] = [];
  private inFlight = 0;
  private pumpScheduled = false;
  private readonly maxInFlight: number;
  private readonly maxBatchSize: number;
  private readonly failsEveryRow: (error: unknown) => boolean;

  constructor(
    private readonly insertRows: InsertRows,
    options: InsertBatcherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 4;
    this.maxBatchSize = options.maxBatchSize ?? 500;
    this.failsEveryRow = options.failsEveryRow ?? (() => false);
  }

  /** Inserts the row with others waiting now; null when it was skipped (its place or id is taken, or its base is gone). */
  insert(row: RowToInsert): Promise<InsertedRow | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ row, resolve, reject });
      // Rows submitted in the same tick go together even when a slot is free.
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        queueMicrotask(() => {
          this.pumpScheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatchSize);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
    }
  }

  private async run(batch: readonly Waiting[]): Promise<void> {
    try {
      const inserted = await this.insertRows(batch.map((waiting) => waiting.row));
      for (const waiting of batch) waiting.resolve(inserted.get(waiting.row.id) ?? null);
    } catch (error) {
      if (batch.length === 1 || this.failsEveryRow(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      await Promise.all(batch.map((waiting) => this.run([waiting])));
    }
  }
}
