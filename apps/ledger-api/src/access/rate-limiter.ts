/**
 * LEDGER_RATE_LIMIT_PER_MINUTE, per API key: a token bucket per principal
 * that holds a minute's worth of requests and refills continuously.
 *
 * The buckets live in this process. With N API instances behind a load
 * balancer a key may therefore make up to N x the limit: the limit caps a
 * runaway client, it is not a quota. A shared limit would need a shared store
 * (a PostgreSQL or Redis counter) on every request.
 */

/** Principals are bounded by api_keys; this bound keeps a flood of them from growing memory anyway. */
const MAX_TRACKED_PRINCIPALS = 10_000;
const MINUTE_MS = 60_000;

interface Bucket {
  tokens: number;
  refilledAtMs: number;
}

export class TokenBucketRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(perMinute) || perMinute < 1) throw new Error(`rate limit must be a whole number of requests per minute >= 1, got ${perMinute}`);
    this.refillPerMs = perMinute / MINUTE_MS;
  }

  /** Takes one request from the principal's bucket: null when allowed, else the whole seconds to wait. */
  take(principalId: string): number | null {
    const now = this.nowMs();
    let bucket = this.buckets.get(principalId);
    if (bucket === undefined) {
      if (this.buckets.size >= MAX_TRACKED_PRINCIPALS) this.forgetIdle(now);
      bucket = { tokens: this.perMinute, refilledAtMs: now };
      this.buckets.set(principalId, bucket);
    } else {
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.refilledAtMs) * this.refillPerMs);
      bucket.refilledAtMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1_000));
  }

  /** Drops the buckets that have refilled (forgetting them changes nothing), or else the oldest. */
  private forgetIdle(now: number): void {
    for (const [principalId, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.refilledAtMs) * this.refillPerMs >= this.perMinute) this.buckets.delete(principalId);
    }
    if (this.buckets.size >= MAX_TRACKED_PRINCIPALS) {
      const oldest = this.buckets.keys().next();
      if (oldest.done !== true) this.buckets.delete(oldest.value);
    }
  }
}
