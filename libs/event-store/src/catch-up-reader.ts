/**
 * A catch-up reader over the global log: reads from a stored position in
 * batches, then keeps polling for new events. A projector hands it the
 * position it stored with its last batch and resumes exactly there.
 *
 * It polls rather than listening for notifications: PostgreSQL's NOTIFY takes
 * a cluster-wide lock at commit, which would serialise every append.
 */
import { waitUnlessAborted } from './abortable-wait.js';
import type { EventStore, LogFilter, RecordedEvent } from './event-store.port.js';
import { MAX_READ_COUNT } from './event-store.port.js';
import type { LogPosition } from './log-position.js';

export interface CatchUpOptions {
  /** Resume strictly after this position; default: the start of the log. */
  readonly after?: LogPosition;
  readonly filter?: LogFilter;
  /** Events per batch, at most MAX_READ_COUNT; default 500. */
  readonly batchSize?: number;
  /** Wait between polls once caught up; default 100 ms. */
  readonly pollIntervalMs?: number;
  /** Stops the reader; the generator then returns. */
  readonly signal: AbortSignal;
}

export async function* readCatchUp(store: EventStore, options: CatchUpOptions): AsyncGenerator<RecordedEvent[]> {
  const batchSize = Math.min(options.batchSize ?? 500, MAX_READ_COUNT);
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  let after = options.after;
  while (!options.signal.aborted) {
    const batch = await store.readAll({ after, maxCount: batchSize, filter: options.filter });
    if (batch.length > 0) {
      after = batch[batch.length - 1]!.position;
      yield batch;
      continue;
    }
    await waitUnlessAborted(pollIntervalMs, options.signal);
  }
}
