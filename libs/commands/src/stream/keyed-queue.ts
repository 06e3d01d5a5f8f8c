/**
 * Runs work one at a time per key, within this process. Commands on one
 * stream would otherwise race each other to the same expected revision and
 * all but one would have to re-read and decide again; queued, they take
 * turns. Across processes the expected revision still decides (and the
 * loser retries): this only saves wasted round trips.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with work queued or running: bounded by the number of streams in flight. */
  get size(): number {
    return this.tails.size;
  }
}
