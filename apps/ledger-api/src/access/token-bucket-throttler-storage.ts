/**
 * The @nestjs/throttler storage of the per-key rate limit: a token bucket per
 * key that holds `limit` requests (a window's worth may come at once) and
 * refills continuously at `limit` per `ttl`, so a client that keeps to the
 * rate is never refused and one that bursts waits only for the next token.
 *
 * Why not the throttler's own ThrottlerStorageService: it keeps a timestamp
 * per request in the window and scans them on every request, so its cost
 * grows with the limit. With the limit the command benchmark sets
 * (1,000,000 a minute) it managed under 1,000 requests a second once 100,000
 * were in the window, a third of what the API answers. A bucket is two
 * numbers per key and constant work per request, whatever the limit.
 *
 * The buckets live in this process: with N API instances a key may make up
 * to N x the limit (README). A shared limit would need a shared store (a
 * PostgreSQL or Redis counter): another ThrottlerStorage in its place.
 */
import type { ThrottlerStorage } from '@nestjs/throttler';

/** What ThrottlerStorage.increment answers (its record type is not exported on its own). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Keys are principals, bounded by api_keys; this bound keeps a flood of them from growing memory anyway. */
const MAX_TRACKED_KEYS = 10_000;

interface Bucket {
  tokens: number;
  refilledAtMs: number;
  /** A refused key stays refused until then (blockDuration); 0: not blocked. */
  blockedUntilMs: number;
}

export class TokenBucketThrottlerStorage implements ThrottlerStorage {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly nowMs: () => number = () => performance.now()) {}

  /**
   * Takes one request from the key's bucket. `ttl` and `blockDuration` are in
   * milliseconds, as the throttler passes them; the answer's times are whole
   * seconds, as it expects: `timeToBlockExpire` (at least 1 when refused) is
   * the wait until a request would be taken, `timeToExpire` until the bucket
   * is full again.
   */
  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`throttler ${throttlerName}: limit must be a whole number >= 1, got ${limit}`);
    if (!(ttl > 0)) throw new RangeError(`throttler ${throttlerName}: ttl must be a positive number of milliseconds, got ${ttl}`);
    const now = this.nowMs();
    const refillPerMs = limit / ttl;
    const bucket = this.refilled(`${throttlerName}:${key}`, now, limit, refillPerMs);
    const secondsUntilFull = Math.ceil((limit - bucket.tokens) / refillPerMs / 1_000);
    if (bucket.blockedUntilMs > now) {
      return { totalHits: limit + 1, timeToExpire: secondsUntilFull, isBlocked: true, timeToBlockExpire: Math.max(1, Math.ceil((bucket.blockedUntilMs - now) / 1_000)) };
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { totalHits: Math.ceil(limit - bucket.tokens), timeToExpire: Math.ceil((limit - bucket.tokens) / refillPerMs / 1_000), isBlocked: false, timeToBlockExpire: 0 };
    }
    const untilNextTokenMs = (1 - bucket.tokens) / refillPerMs;
    if (blockDuration > 0) bucket.blockedUntilMs = now + Math.max(blockDuration, untilNextTokenMs);
    const waitMs = blockDuration > 0 ? bucket.blockedUntilMs - now : untilNextTokenMs;
    return { totalHits: limit + 1, timeToExpire: secondsUntilFull, isBlocked: true, timeToBlockExpire: Math.max(1, Math.ceil(waitMs / 1_000)) };
  }

  private refilled(id: string, now: number, limit: number, refillPerMs: number): Bucket {
    let bucket = this.buckets.get(id);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_TRACKED_KEYS) this.forgetIdle(now, limit, refillPerMs);
      bucket = { tokens: limit, refilledAtMs: now, blockedUntilMs: 0 };
      this.buckets.set(id, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(limit, bucket.tokens + (now - bucket.refilledAtMs) * refillPerMs);
    bucket.refilledAtMs = now;
    return bucket;
  }

  /** Drops the buckets that have refilled and are not blocked (forgetting them changes nothing), or else the oldest. */
  private forgetIdle(now: number, limit: number, refillPerMs: number): void {
    for (const [id, bucket] of this.buckets) {
      if (bucket.blockedUntilMs <= now && bucket.tokens + (now - bucket.refilledAtMs) * refillPerMs >= limit) this.buckets.delete(id);
    }
    if (this.buckets.size >= MAX_TRACKED_KEYS) {
      const oldest = this.buckets.keys().next();
      if (oldest.done !== true) this.buckets.delete(oldest.value);
    }
  }
}
