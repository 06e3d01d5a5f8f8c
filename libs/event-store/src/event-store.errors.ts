import type { ExpectedRevision } from './event-store.port.js';

/**
 * The stream was not where the caller expected it. Operating error: the
 * caller re-reads and decides again, or reports CONCURRENCY_CONFLICT.
 */
export class ConcurrencyError extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Revision of the stream's last event, or 'no_stream'; null when unknown. */
    readonly actual: bigint | 'no_stream' | null,
  ) {
    super(`stream ${streamId}: expected ${String(expected)}, found ${actual === null ? 'another revision' : String(actual)}`);
    this.name = 'ConcurrencyError';
  }
}

/**
 * Some of the appended event ids are stored already, but not as this same
 * append to this same stream: a caller reused an id for a different fact.
 */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly streamId: string,
    readonly eventIds: readonly string[],
  ) {
    super(`stream ${streamId}: event ids already stored elsewhere: ${eventIds.join(', ')}`);
    this.name = 'DuplicateEventIdError';
  }
}

/** The store cannot be reached or failed; the edge answers 503 UNAVAILABLE. */
export class EventStoreUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}
