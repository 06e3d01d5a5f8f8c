import { TokenBucketRateLimiter } from './rate-limiter.js';

describe('per-key rate limit (token bucket)', () => {
  let nowMs = 0;
  const clock = (): number => nowMs;

  beforeEach(() => {
    nowMs = 1_000_000;
  });

  it('allows a minute’s worth of requests at once, then says how long to wait', () => {
    const limiter = new TokenBucketRateLimiter(60, clock);
    for (let i = 0; i < 60; i++) expect(limiter.take('broker-a')).toBeNull();
    expect(limiter.take('broker-a')).toBe(1);
  });

  it('refills continuously at the per-minute rate', () => {
    const limiter = new TokenBucketRateLimiter(6, clock);
    for (let i = 0; i < 6; i++) limiter.take('broker-a');
    expect(limiter.take('broker-a')).toBe(10);
    nowMs += 9_999;
    expect(limiter.take('broker-a')).toBe(1);
    nowMs += 1;
    expect(limiter.take('broker-a')).toBeNull();
  });

  it('never holds more than a minute’s worth', () => {
    const limiter = new TokenBucketRateLimiter(2, clock);
    limiter.take('broker-a');
    nowMs += 3_600_000;
    expect(limiter.take('broker-a')).toBeNull();
    expect(limiter.take('broker-a')).toBeNull();
    expect(limiter.take('broker-a')).not.toBeNull();
  });

  it('keeps a bucket per principal', () => {
    const limiter = new TokenBucketRateLimiter(1, clock);
    expect(limiter.take('broker-a')).toBeNull();
    expect(limiter.take('broker-a')).toBe(60);
    expect(limiter.take('broker-b')).toBeNull();
  });

  it('refuses a limit below one request per minute', () => {
    expect(() => new TokenBucketRateLimiter(0, clock)).toThrow(/rate limit/);
  });
});
