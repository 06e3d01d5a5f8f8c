/**
 * Read, decide, append: how every command of the ledger is handled. The
 * stream is folded from its events, the pure decider turns the command into
 * new facts, and the append carries the revision that was read, so a
 * concurrent change is a ConcurrencyError rather than a lost update.
 */
import { invariant } from '#domain';
import { ConcurrencyError, MAX_READ_COUNT, type EventStore, type JsonObject, type LogPosition } from '#event-store';
import type { CommandContext } from './command-context.js';
import { derivedId } from './derived-id.js';
import { KeyedQueue } from './keyed-queue.js';
import type { StreamDecider } from './stream-decider.js';

/**
 * Re-read and re-decide this often when another writer (another instance:
 * this one queues commands per stream) moved the stream first and the caller
 * sent no If-Match. Each loss means someone else's command went through, so
 * this bounds waiting, not progress.
 */
const DEFAULT_MAX_DECIDE_ATTEMPTS = 20;
const MAX_RETRY_PAUSE_MS = 25;
/** One queue per process: commands on the same stream take turns here. */
const streamQueue = new KeyedQueue();

export interface StreamCommandRequest<State, Command, Event> {
  readonly store: EventStore;
  readonly streamId: string;
  readonly decider: StreamDecider<State, Command, Event>;
  readonly command: Command;
  readonly context: CommandContext;
  readonly now: () => Date;
  /** If-Match: the revision the caller saw. A different current revision is a conflict, never retried. */
  readonly expectedRevision?: bigint;
  /**
   * Ids of the new events, by index. Default: derived from the context's
   * causation id (one per command message), the stream and the index, so
   * running the same command message again writes nothing twice.
   */
  readonly eventId?: (index: number, event: Event) => string;
  /** How often to re-read and re-decide after losing a race; default 20. */
  readonly maxAttempts?: number;
  /** Where same-stream commands take turns; default the process-wide queue. */
  readonly queue?: KeyedQueue;
  /** Throws when the actor may not act on this stream as it is (e.g. a listing another broker submitted). */
  readonly authorize?: (state: State) => void;
  /**
   * False when the actor may not even learn that the stream exists (another
   * broker's deal). The command is then decided exactly as on a stream with
   * no events, so that every answer (the decider's refusal, an If-Match
   * conflict) is the one a missing stream gets. A decider that would record
   * facts on such a stream is a programmer error: nothing is written.
   */
  readonly visible?: (state: State) => boolean;
  /**
   * The stream's id was just made up at random by the server, so it has no
   * events: skip reading it. If it had some after all, the append says so and
   * the retry reads it.
   */
  readonly freshStream?: boolean;
}

export interface StreamCommandResult<State, Event> {
  readonly state: State;
  readonly events: readonly Event[];
  /** Revision of the stream's last event after the command; null when the stream still has none. */
  readonly streamRevision: bigint | null;
  /** Position of the last event written; null when the command wrote nothing. */
  readonly position: LogPosition | null;
}

export function runStreamCommand<State, Command, Event>(
  request: StreamCommandRequest<State, Command, Event>,
): Promise<StreamCommandResult<State, Event>> {
  return (request.queue ?? streamQueue).run(request.streamId, () => decideAndAppend(request));
}

async function decideAndAppend<State, Command, Event>(
  request: StreamCommandRequest<State, Command, Event>,
): Promise<StreamCommandResult<State, Event>> {
  const maxAttempts = request.maxAttempts ?? DEFAULT_MAX_DECIDE_ATTEMPTS;
  const derivedEventId = (index: number): string => derivedId(request.context.causationId, `${request.streamId}#${index}`);
  const eventId = (index: number, event: Event): string => request.eventId?.(index, event) ?? derivedEventId(index);
  for (let attempt = 1; ; attempt += 1) {
    const folded =
      request.freshStream === true && attempt === 1
        ? { state: request.decider.initialState, revision: null, recorded: new Map<string, RecordedPlace>() }
        : await foldStream(request.store, request.streamId, request.decider);
    const hidden = request.visible !== undefined && !request.visible(folded.state);
    const { state, revision, recorded } = hidden ? { state: request.decider.initialState, revision: null, recorded: new Map<string, RecordedPlace>() } : folded;
    request.authorize?.(state);
    if (request.eventId === undefined) {
      // This command message ran before (a retried request, a taken-over Idempotency-Key): answer
      // with what it recorded then, instead of deciding again on a state that already holds it.
      const earlier = earlierRun(recorded, derivedEventId);
      if (earlier !== null) return { state, events: [], streamRevision: revision, position: earlier.position };
    }
    if (request.expectedRevision !== undefined && request.expectedRevision !== revision) {
      throw new ConcurrencyError(request.streamId, request.expectedRevision, revision ?? 'no_stream');
    }
    const events = request.decider.decide(state, request.command, request.now());
    invariant(!hidden || events.length === 0, `a command on ${request.streamId}, hidden from its actor, was decided into facts`);
    if (events.length === 0) return { state, events, streamRevision: revision, position: null };
    const occurredAt = request.now().toISOString();
    const stored = events.map((event, index) => {
      const { type, data } = request.decider.encode(event);
      return {
        id: eventId(index, event),
        type,
        data: data as JsonObject,
        metadata: { ...request.context, occurredAt, schemaVersion: 1 },
      };
    });
    try {
      const appended = await request.store.append(request.streamId, stored, revision ?? 'no_stream');
      const writtenNow = appended.nextExpectedRevision === (revision ?? -1n) + BigInt(events.length);
      if (!writtenNow) {
        // The store already held these event ids (a rerun with derived ids): it wrote nothing and
        // answered with the original append. Report the stream as it is, not as this run imagined it.
        const current = await foldStream(request.store, request.streamId, request.decider);
        return { state: current.state, events: [], streamRevision: current.revision, position: appended.position };
      }
      return {
        state: events.reduce(request.decider.evolve, state),
        events,
        streamRevision: appended.nextExpectedRevision,
        position: appended.position,
      };
    } catch (error) {
      const retry = error instanceof ConcurrencyError && request.expectedRevision === undefined && attempt < maxAttempts;
      if (!retry) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_RETRY_PAUSE_MS, 2 ** attempt)));
    }
  }
}

/** Where an event of the stream sits: enough to answer a repeated command. */
interface RecordedPlace {
  readonly revision: bigint;
  readonly position: LogPosition;
}

/** The stream's current state, the revision of its last event (null: no events), and where each event id sits. */
export async function foldStream<State, Command, Event>(
  store: EventStore,
  streamId: string,
  decider: StreamDecider<State, Command, Event>,
): Promise<{ state: State; revision: bigint | null; recorded: ReadonlyMap<string, RecordedPlace> }> {
  let state = decider.initialState;
  let revision: bigint | null = null;
  const recorded = new Map<string, RecordedPlace>();
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision: revision === null ? 0n : revision + 1n, maxCount: MAX_READ_COUNT });
    for (const event of page) {
      state = decider.evolve(state, decider.decode(event));
      revision = event.revision;
      recorded.set(event.id, { revision: event.revision, position: event.position });
    }
    if (page.length < MAX_READ_COUNT) return { state, revision, recorded };
  }
}

/** The last event an earlier run of the same command message recorded; null if it recorded none. */
function earlierRun(recorded: ReadonlyMap<string, RecordedPlace>, idFor: (index: number) => string): RecordedPlace | null {
  let last: RecordedPlace | null = null;
  for (let index = 0; ; index += 1) {
    const place = recorded.get(idFor(index));
    if (place === undefined) return last;
    last = place;
  }
}
