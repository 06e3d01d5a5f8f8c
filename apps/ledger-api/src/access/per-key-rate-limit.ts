/**
 * LEDGER_RATE_LIMIT_PER_MINUTE, per API key, on @nestjs/throttler: its module
 * holds the configuration (one named throttler) and the storage, and
 * AccessGuard counts each authenticated request through PerKeyRateLimit.
 *
 * Why the guard calls the storage instead of registering ThrottlerGuard:
 * the limit belongs between authentication and the role check (a key
 * hammering routes it may not call is still slowed, and an unauthenticated
 * flood is not counted against anyone), and it is one budget per key across
 * every route, whereas ThrottlerGuard keys its counters by route and client
 * IP and would run as a guard of its own, before or after AccessGuard as a
 * whole. Splitting AccessGuard into three ordered APP_GUARDs would make that
 * order depend on provider registration across modules; one guard states it
 * in three lines.
 */
import { Injectable, type DynamicModule } from '@nestjs/common';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerModule, type ThrottlerModuleOptions, type ThrottlerStorage } from '@nestjs/throttler';
import { TokenBucketThrottlerStorage } from './token-bucket-throttler-storage.js';

/** The throttler's name, in its options. */
export const PER_KEY_THROTTLER = 'per-api-key';
/** LEDGER_RATE_LIMIT_PER_MINUTE counts per minute. */
const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * ThrottlerModule configured for the per-key limit. blockDuration 0: a
 * refused request costs the key nothing more, it may go on once a token is
 * back (the throttler's default would shut it out for a whole window).
 */
export function perKeyThrottlerModule(perMinute: number): DynamicModule {
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError(`rate limit must be a whole number of requests per minute >= 1, got ${perMinute}`);
  return ThrottlerModule.forRoot({
    throttlers: [{ name: PER_KEY_THROTTLER, limit: perMinute, ttl: RATE_LIMIT_WINDOW_MS, blockDuration: 0 }],
    storage: new TokenBucketThrottlerStorage(),
  });
}

interface PerKeyThrottler {
  readonly name: string;
  readonly limit: number;
  readonly ttl: number;
  readonly blockDuration: number;
}

@Injectable()
export class PerKeyRateLimit {
  private readonly throttler: PerKeyThrottler;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
  ) {
    this.throttler = perKeyThrottler(options);
  }

  /** Counts one request of the principal: null when it may go on, else the whole seconds to wait (Retry-After). */
  async take(principalId: string): Promise<number | null> {
    const { name, limit, ttl, blockDuration } = this.throttler;
    const record = await this.storage.increment(`principal:${principalId}`, ttl, limit, blockDuration, name);
    return record.isBlocked ? Math.max(1, Math.ceil(record.timeToBlockExpire)) : null;
  }
}

/** The per-key throttler of the module's options, with plain numbers (perKeyThrottlerModule writes them so). */
function perKeyThrottler(options: ThrottlerModuleOptions): PerKeyThrottler {
  const throttlers = Array.isArray(options) ? options : options.throttlers;
  const found = throttlers.find((throttler) => throttler.name === PER_KEY_THROTTLER);
  const { limit, ttl, blockDuration = 0 } = found ?? {};
  if (typeof limit !== 'number' || typeof ttl !== 'number' || typeof blockDuration !== 'number') {
    throw new Error(`ThrottlerModule needs the ${PER_KEY_THROTTLER} throttler with numeric limit, ttl and blockDuration (perKeyThrottlerModule)`);
  }
  return { name: PER_KEY_THROTTLER, limit, ttl, blockDuration };
}
