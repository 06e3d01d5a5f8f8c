/**
 * A stream's decider: the pure functions plus the codec between domain
 * events (bigint, Date) and stored JSON. Structurally what libs/commands'
 * runner and the given/when/then specs need.
 */
import type { EncodedEvent, StoredEventInput } from './event-data.js';

export interface Decider<State, Command, Event> {
  readonly initialState: State;
  decide(state: State, command: Command, now: Date): Event[];
  evolve(state: State, event: Event): State;
  encode(event: Event): EncodedEvent;
  decode(stored: StoredEventInput): Event;
}
