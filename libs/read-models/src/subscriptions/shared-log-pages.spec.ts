import type { EventStore, LogPosition, ReadAllOptions, RecordedEvent } from '#event-store';
import { LogConvoy } from './shared-log-pages.js';

const PAGE = 10;

/** A log of `size` events at positions 1.1, 2.2, ...; counts the reads of each page. */
class CountingLog {
  readonly reads = new Map<string, number>();
  constructor(public size: number) {}

  readonly store = {
    readAll: async (options: ReadAllOptions = {}): Promise<RecordedEvent[]> => {
      const from = options.after === undefined ? 0 : Number(options.after.prepare);
      const key = String(from);
      this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
      await new Promise((resolve) => setImmediate(resolve));
      const to = Math.min(this.size, from + (options.maxCount ?? PAGE));
      return Array.from({ length: Math.max(0, to - from) }, (_, index) => event(from + index + 1));
    },
  } as unknown as EventStore;

  readsOf(after: number): number {
    return this.reads.get(String(after)) ?? 0;
  }

}

function event(n: number): RecordedEvent {
  return {
    id: `e${n}`,
    type: 'Fact',
    data: {},
    metadata: {},
    streamId: 's',
    revision: BigInt(n),
    position: { commit: BigInt(n), prepare: BigInt(n) },
    recordedAt: new Date(0),
    prevHash: '',
    hash: '',
  } as unknown as RecordedEvent;
}

const at = (n: number): LogPosition | undefined => (n === 0 ? undefined : { commit: BigInt(n), prepare: BigInt(n) });
const lastOf = (page: RecordedEvent[]): number => Number(page[page.length - 1]!.position.prepare);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the whole log page by page, pausing `pauseMs` per page; returns the events read. */
async function readToEnd(convoy: LogConvoy, pauseMs: number, onPage?: (after: number) => void): Promise<number> {
  const reader = convoy.join();
  let after = 0;
  let events = 0;
  try {
    for (;;) {
      const page = await reader.read(at(after));
      onPage?.(after);
      if (page.length === 0) return events;
      events += page.length;
      after = lastOf(page);
      await sleep(pauseMs);
    }
  } finally {
    reader.leave();
  }
}

describe('LogConvoy: readers catching up together share the pages of the log', () => {
  it('reads each page from the store once for three readers that start together', async () => {
    const log = new CountingLog(200);
    const convoy = new LogConvoy(log.store, PAGE, undefined);

    const counts = await Promise.all([readToEnd(convoy, 0), readToEnd(convoy, 1), readToEnd(convoy, 2)]);

    expect(counts).toEqual([200, 200, 200]);
    for (let after = 0; after < 200; after += PAGE) expect(log.readsOf(after)).toBe(1);
  });

  it('keeps the front at most maxPagesAhead pages ahead of the slowest member that moves', async () => {
    const log = new CountingLog(300);
    const convoy = new LogConvoy(log.store, PAGE, undefined, { maxPagesAhead: 3, maxWaitMs: 5_000 });
    const position = { fast: 0, slow: 0 };
    let widestGap = 0;
    const track = (name: 'fast' | 'slow') => (after: number) => {
      position[name] = after;
      widestGap = Math.max(widestGap, (position.fast - position.slow) / PAGE);
    };

    await Promise.all([readToEnd(convoy, 0, track('fast')), readToEnd(convoy, 5, track('slow'))]);

    expect(widestGap).toBeLessThanOrEqual(3);
    for (let after = 0; after < 300; after += PAGE) expect(log.readsOf(after)).toBe(1);
  });

  it('lets a member that does not move within maxWaitMs drop out; the front goes on and the member reads alone', async () => {
    const log = new CountingLog(100);
    const convoy = new LogConvoy(log.store, PAGE, undefined, { maxPagesAhead: 2, maxWaitMs: 50 });
    const stalled = convoy.join();
    await stalled.read(undefined);

    const started = Date.now();
    expect(await readToEnd(convoy, 0)).toBe(100);
    expect(Date.now() - started).toBeLessThan(2_000);

    // The stalled member's next page was let go: it reads it itself.
    const before = log.readsOf(10);
    expect(await stalled.read(at(10))).toHaveLength(PAGE);
    expect(log.readsOf(10)).toBe(before + 1);
    stalled.leave();
  });

  it('lets a reader far behind the run read alone, holding back nobody', async () => {
    const log = new CountingLog(400);
    const convoy = new LogConvoy(log.store, PAGE, undefined, { maxPagesAhead: 2, maxWaitMs: 10_000 });
    const ahead = convoy.join();
    let after = 200;
    for (let page = 0; page < 3; page += 1) after = lastOf(await ahead.read(at(after)));

    // A rebuild from the start while the other one goes on: neither waits for the other.
    const started = Date.now();
    const [rebuilt, rest] = await Promise.all([
      readToEnd(convoy, 0),
      (async () => {
        let events = 0;
        for (;;) {
          const page = await ahead.read(at(after));
          if (page.length === 0) return events;
          events += page.length;
          after = lastOf(page);
        }
      })(),
    ]);
    ahead.leave();

    expect(rebuilt).toBe(400);
    expect(rest).toBe(170);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('shares a short page (the head) for headShareMs, never longer: then the next read sees new events', async () => {
    const log = new CountingLog(15);
    const convoy = new LogConvoy(log.store, PAGE, undefined, { headShareMs: 40 });
    const first = convoy.join();
    const second = convoy.join();
    await Promise.all([first.read(undefined), second.read(undefined)]);

    const [a, b] = await Promise.all([first.read(at(10)), second.read(at(10))]);
    expect([a.length, b.length]).toEqual([5, 5]);
    expect(log.readsOf(10)).toBe(1);

    log.size = 18;
    // A moment later the head is still shared: one read for every subscription polling the tail.
    expect(await second.read(at(10))).toHaveLength(5);
    expect(log.readsOf(10)).toBe(1);
    await sleep(60);
    expect(await first.read(at(10))).toHaveLength(8);
    expect(log.readsOf(10)).toBe(2);
    first.leave();
    second.leave();
  });

  it('lets go of every kept page when the last member leaves', async () => {
    const log = new CountingLog(50);
    const convoy = new LogConvoy(log.store, PAGE, undefined);
    const reader = convoy.join();
    await reader.read(undefined);
    reader.leave();

    const again = convoy.join();
    await again.read(undefined);
    again.leave();

    expect(log.readsOf(0)).toBe(2);
  });
});
