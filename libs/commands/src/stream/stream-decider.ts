/**
 * A stream's decider as the command runner needs it: the pure functions of
 * libs/domain plus the codec between domain events (bigint, Date) and stored
 * JSON.
 */
export interface StoredEventShape {
  readonly type: string;
  readonly data: Record<string, unknown>;
}

export interface StreamDecider<State, Command, Event> {
  readonly initialState: State;
  decide(state: State, command: Command, now: Date): Event[];
  evolve(state: State, event: Event): State;
  encode(event: Event): StoredEventShape;
  decode(stored: StoredEventShape): Event;
}
