/**
 * Events as the write side would record them, without HTTP: commands decided
 * in order against the stream's evolving state and encoded for the store.
 * Projection specs, system tests and benchmarks seed their logs with it.
 */
import { randomUUID } from 'node:crypto';
import type { EventMetadata, EventStore, EventToAppend, JsonObject } from '#event-store';

/** The parts of a domain decider (libs/domain) this needs. */
export interface EncodingDecider<State, Command, Event> {
  readonly initialState: State;
  decide(state: State, command: Command, now: Date): Event[];
  evolve(state: State, event: Event): State;
  encode(event: Event): { readonly type: string; readonly data: object };
}

/** Decides `commands` in order from `state`, returning the state after them and their events ready to append. */
export function decideEvents<State, Command, Event>(
  decider: EncodingDecider<State, Command, Event>,
  commands: readonly Command[],
  now: Date,
  metadata: () => EventMetadata,
  state: State = decider.initialState,
): { state: State; events: EventToAppend[] } {
  const events: EventToAppend[] = [];
  for (const command of commands) {
    for (const event of decider.decide(state, command, now)) {
      state = decider.evolve(state, event);
      const { type, data } = decider.encode(event);
      events.push({ id: randomUUID(), type, data: data as JsonObject, metadata: metadata() });
    }
  }
  return { state, events };
}

/** Decides `commands` against a new stream and appends all their events to it at once. */
export async function recordCommands<State, Command, Event>(
  store: EventStore,
  decider: EncodingDecider<State, Command, Event>,
  streamId: string,
  commands: readonly Command[],
  options: { readonly now: Date; readonly metadata: () => EventMetadata },
): Promise<void> {
  const { events } = decideEvents(decider, commands, options.now, options.metadata);
  if (events.length > 0) await store.append(streamId, events, 'no_stream');
}
