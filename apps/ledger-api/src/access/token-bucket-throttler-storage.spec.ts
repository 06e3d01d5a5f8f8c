import { TokenBucketThrottlerStorage } from './token-bucket-throttler-storage.js';

const MINUTE_MS = 60_000;
const THROTTLER = 'per-api-key';

describe('the per-key rate limit storage (a token bucket behind @nestjs/throttler)', () => {
  let nowMs = 0;
  const clock = (): number => nowMs;
  /** One request of `key` at `perMinute`: the seconds to wait when refused, else null. */
  const take = async (storage: TokenBucketThrottlerStorage, key: string, perMinute: number, blockDurationMs = 0): Promise<number | null> => {
    const record = await storage.increment(key, MINUTE_MS, perMinute, blockDurationMs, THROTTLER);
    return record.isBlocked ? record.timeToBlockExpire : null;
  };

  beforeEach(() => {
    nowMs = 1_000_000;
  });

  it('allows a minute’s worth of requests at once, then says how long to wait', async () => {
    const storage = new TokenBucketThrottlerStorage(clock);
    for (let i = 0; i < 60; i++) expect(await take(storage, 'broker-a', 60)).toBeNull();
    expect(await take(storage, 'broker-a', 60)).toBe(1);
  });

  it('refills continuously at the per-minute rate', async () => {
    const storage = new TokenBucketThrottlerStorage(clock);
    for (let i = 0; i < 6; i++) await take(storage, 'broker-a', 6);
    expect(await take(storage, 'broker-a', 6)).toBe(10);
    nowMs += 9_999;
    expect(await take(storage, 'broker-a', 6)).toBe(1);
    nowMs += 1;
    expect(await take(storage, 'broker-a', 6)).toBeNull();
  });

  it('never holds more than a minute’s worth', async () => {
    const storage = new TokenBucketThrottlerStorage(clock);
    await take(storage, 'broker-a', 2);
    nowMs += 3_600_000;
    expect(await take(storage, 'broker-a', 2)).toBeNull();
    expect(await take(storage, 'broker-a', 2)).toBeNull();
    expect(await take(storage, 'broker-a', 2)).not.toBeNull();
  });

  it('keeps a bucket per key', async () => {
    const storage = new TokenBucketThrottlerStorage(clock);
    expect(await take(storage, 'broker-a', 1)).toBeNull();
    expect(await take(storage, 'broker-a', 1)).toBe(60);
    expect(await take(storage, 'broker-b', 1)).toBeNull();
  });

  it('answers the record the throttler reads: hits so far, seconds until full, blocked or not', async () => {
    const storage = new TokenBucketThrottlerStorage(clock);
    expect(await storage.increment('broker-a', MINUTE_MS, 2, 0, THROTTLER)).toEqual({ totalHits: 1, timeToExpire: 30, isBlocked: false, timeToBlockExpire: 0 });
    expect(await storage.increment('broker-a', MINUTE_MS, 2, 0, THROTTLER)).toEqual({ totalHits: 2, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    expect(await storage.increment('broker-a', MINUTE_MS, 2, 0, THROTTLER)).toEqual({ totalHits: 3, timeToExpire: 60, isBlocked: true, timeToBlockExpire: 30 });
  });

  it('with a blockDuration, keeps a refused key refused that long although tokens come back', async () => {
    const storage = new TokenBucketThrottlerStorage(clock);
    for (let i = 0; i < 60; i++) await take(storage, 'broker-a', 60, 10_000);
    expect(await take(storage, 'broker-a', 60, 10_000)).toBe(10);
    nowMs += 5_000;
    expect(await take(storage, 'broker-a', 60, 10_000)).toBe(5);
    nowMs += 5_000;
    expect(await take(storage, 'broker-a', 60, 10_000)).toBeNull();
  });

  it('costs the same however high the limit (the benchmark’s million a minute)', async () => {
    const storage = new TokenBucketThrottlerStorage(clock);
    const started = performance.now();
    for (let i = 0; i < 200_000; i++) {
      nowMs += 0.3;
      await take(storage, 'bench', 1_000_000);
    }
    // The throttler's own storage scans every request of the window: it needed minutes for this.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a limit below one request or a window of no time', async () => {
    const storage = new TokenBucketThrottlerStorage(clock);
    await expect(storage.increment('k', MINUTE_MS, 0, 0, THROTTLER)).rejects.toThrow(/limit/);
    await expect(storage.increment('k', 0, 10, 0, THROTTLER)).rejects.toThrow(/ttl/);
  });
});
