/**
 * Remembers the last event this process saw of each stream: its revision and
 * hash. Appending needs the hash of the event it follows; with the cache an
 * append to a stream the process just read or wrote is one round trip.
 *
 * Safe with any number of instances: (stream, revision) -> hash never changes
 * once written, so an entry can be old but never wrong, as long as an adapter
 * only remembers pairs the store holds. Each adapter makes sure an old entry
 * can only cost a retry, never a wrong chain: PostgreSQL re-checks the pair
 * inside its INSERT; EventStoreDB appends at the exact revision after it, so
 * the server refuses the append once the stream has moved on.
 */
export interface StreamHead {
  readonly revision: bigint;
  readonly hash: string;
}

export class StreamHeadCache {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get(streamId: string): StreamHead | undefined {
    return this.heads.get(streamId);
  }

  /** Records a head unless a later one is known already. */
  remember(streamId: string, head: StreamHead): void {
    const known = this.heads.get(streamId);
    if (known !== undefined && known.revision >= head.revision) return;
    // Re-inserting moves the key to the end: the Map's order is recency order.
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
    if (this.heads.size > this.capacity) {
      const oldest = this.heads.keys().next().value as string;
      this.heads.delete(oldest);
    }
  }

  forget(streamId: string): void {
    this.heads.delete(streamId);
  }
}
