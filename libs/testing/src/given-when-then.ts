/**
 * Decider specifications that read as given/when/then (shared/STYLE.md,
 * "Tests as specifications"):
 *
 *   const spec = deciderSpec(dealDecider);
 *   spec.given(dealOpened, sellerApproved).when(approveDeal('buyer'), at('2026-01-02T00:00:00Z')).then(buyerApproved);
 *   spec.given(dealOpened).when(approveDeal('buyer'), at(afterDeadline)).thenFails('DEAL_APPROVAL_DEADLINE_PASSED');
 *
 * Given events are folded with the decider's evolve; `then` also folds the
 * decided events, so every example checks that evolve accepts what decide
 * produces. Comparisons go through Jest's expect, so a failure shows a diff.
 * Generic over any decider: it knows nothing of the domain's types.
 */
import { expect } from '@jest/globals';

/** What a specification needs of a decider. */
export interface SpecDecider<State, Command, Event> {
  readonly initialState: State;
  decide(state: State, command: Command, now: Date): Event[];
  evolve(state: State, event: Event): State;
}

export interface DeciderSpec<State, Command, Event> {
  given(...events: Event[]): Given<State, Command, Event>;
}

export interface Given<State, Command, Event> {
  when(command: Command, now: Date): When<State, Event>;
}

export interface When<State, Event> {
  /** Expects exactly these events (none: the command records nothing); returns the state after them. */
  then(...expected: Event[]): State;
  /** Expects a refusal: an error carrying this `code` (a DomainError), not any other error. */
  thenFails(code: string): void;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant written as ISO 8601 with a zone; anything else is a mistake in the test. */
export function at(iso: string): Date {
  const time = new Date(iso);
  if (!ISO_INSTANT.test(iso) || Number.isNaN(time.getTime())) throw new Error(`not an ISO 8601 instant with a zone: ${iso}`);
  return time;
}

export function deciderSpec<State, Command, Event>(decider: SpecDecider<State, Command, Event>): DeciderSpec<State, Command, Event> {
  return {
    given: (...events) => ({
      when: (command, now) => whenClause(decider, events, command, now),
    }),
  };
}

function whenClause<State, Command, Event>(decider: SpecDecider<State, Command, Event>, given: readonly Event[], command: Command, now: Date): When<State, Event> {
  const state = given.reduce((current, event) => decider.evolve(current, event), decider.initialState);
  return {
    then(...expected) {
      const outcome = attempt(() => decider.decide(state, command, now));
      if (!outcome.decided) {
        throw new Error(`expected ${expected.length} event(s), but the command was refused: ${describeError(outcome.error)}`, { cause: outcome.error });
      }
      expect(outcome.events).toEqual(expected);
      return outcome.events.reduce((current, event) => decider.evolve(current, event), state);
    },
    thenFails(code) {
      const outcome = attempt(() => decider.decide(state, command, now));
      if (outcome.decided) {
        throw new Error(`expected a refusal with ${code}, but the command decided: ${describeValue(outcome.events)}`);
      }
      const error = outcome.error;
      const actualCode = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
      expect({ code: actualCode, error: describeError(error) }).toEqual({ code, error: expect.any(String) });
    },
  };
}

type Outcome<Event> = { readonly decided: true; readonly events: Event[] } | { readonly decided: false; readonly error: unknown };

function attempt<Event>(decide: () => Event[]): Outcome<Event> {
  try {
    return { decided: true, events: decide() };
  } catch (error) {
    return { decided: false, error };
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
  }
  return describeValue(error);
}

/** JSON with bigints as `123n` and Dates as ISO strings, for messages. */
function describeValue(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? `${field}n` : field));
}
