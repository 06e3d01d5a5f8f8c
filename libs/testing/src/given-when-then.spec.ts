import { at, deciderSpec } from './given-when-then.js';

/** A counter that refuses to go above a limit: the smallest decider worth specifying. */
type CounterEvent = { type: 'Incremented'; by: number };
type CounterCommand = { type: 'Increment'; by: number };
class CounterError extends Error {
  constructor(readonly code: string) {
    super(code);
    this.name = 'DomainError';
  }
}
const counter = {
  initialState: 0,
  decide(state: number, command: CounterCommand): CounterEvent[] {
    if (command.by === 0) return [];
    if (state + command.by > 3) throw new CounterError('COUNTER_FULL');
    return [{ type: 'Incremented', by: command.by }];
  },
  evolve(state: number, event: CounterEvent): number {
    if (state + event.by > 3) throw new Error('invariant violated: counter above 3');
    return state + event.by;
  },
};
const spec = deciderSpec(counter);
const now = at('2026-01-01T00:00:00Z');

describe('given/when/then specifications', () => {
  it('passes when the command decides exactly the expected events, and returns the state after them', () => {
    expect(spec.given({ type: 'Incremented', by: 1 }).when({ type: 'Increment', by: 2 }, now).then({ type: 'Incremented', by: 2 })).toBe(3);
  });

  it('passes with no expected events when the command records nothing', () => {
    expect(spec.given().when({ type: 'Increment', by: 0 }, now).then()).toBe(0);
  });

  it('fails when the events differ', () => {
    expect(() => spec.given().when({ type: 'Increment', by: 1 }, now).then({ type: 'Incremented', by: 2 })).toThrow();
  });

  it('fails when an expected success is refused', () => {
    expect(() => spec.given({ type: 'Incremented', by: 3 }).when({ type: 'Increment', by: 1 }, now).then({ type: 'Incremented', by: 1 })).toThrow(/COUNTER_FULL/);
  });

  it('passes a refusal with the expected code', () => {
    spec.given({ type: 'Incremented', by: 3 }).when({ type: 'Increment', by: 1 }, now).thenFails('COUNTER_FULL');
  });

  it('fails a refusal with another code, and a command that was not refused', () => {
    expect(() => spec.given({ type: 'Incremented', by: 3 }).when({ type: 'Increment', by: 1 }, now).thenFails('OTHER')).toThrow();
    expect(() => spec.given().when({ type: 'Increment', by: 1 }, now).thenFails('COUNTER_FULL')).toThrow(/decided/);
  });

  it('reads instants only with a zone', () => {
    expect(at('2026-01-02T03:04:05.678Z').toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(at('2026-01-02T03:04:05+01:00').toISOString()).toBe('2026-01-02T02:04:05.000Z');
    expect(() => at('2026-01-02')).toThrow();
    expect(() => at('2026-01-02T03:04:05')).toThrow();
  });
});
