/**
 * How big a run is (SYSTEM_TEST_SCALE): `short` (the default, what CI runs:
 * a few minutes on 2 cores) or `full` (the sizes issue 8 names). Scenarios
 * take their counts from here, never from constants of their own, so one
 * variable scales the whole suite. SYSTEM_TEST_SEED fixes the random choices
 * (which commands are retried, which deals end how); a run prints its seed.
 */
export type SystemTestScale = 'short' | 'full';

export function readSystemTestScale(env: Readonly<Record<string, string | undefined>>): SystemTestScale {
  const text = env.SYSTEM_TEST_SCALE?.trim() ?? '';
  if (text === '' || text === 'short') return 'short';
  if (text === 'full') return 'full';
  throw new RangeError(`SYSTEM_TEST_SCALE must be "short" or "full", got "${text}"`);
}

export function readSystemTestSeed(env: Readonly<Record<string, string | undefined>>): number {
  const text = env.SYSTEM_TEST_SEED?.trim() ?? '';
  if (text === '') return Math.floor(Math.random() * 2 ** 31);
  if (!/^[0-9]{1,10}$/.test(text)) throw new RangeError(`SYSTEM_TEST_SEED must be a whole number, got "${text}"`);
  return Number(text) % 2 ** 32;
}

/** A small seeded generator (mulberry32): the same seed makes the same choices. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A whole number in [min, max]. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** An independent generator for one worker of a scenario (its choices do not depend on the others' timing). */
  fork(): SeededRandom {
    return new SeededRandom(Math.floor(this.next() * 2 ** 32));
  }
}
