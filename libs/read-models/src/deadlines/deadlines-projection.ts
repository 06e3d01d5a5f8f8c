/**
 * The deadlines read model (shared/DOMAIN.md, "Expiry enforcement"): one row
 * per deadline a listing, deal or buy request holds open, which the deadline
 * enforcer polls by due time.
 *
 * Which deadlines a stream holds is the domain's (libs/domain deadlines.ts),
 * a pure function of the stream's folded state; the projection keeps each
 * stream's state in `deadline_streams`, evolved with the domain's own evolve
 * (a projection is just another evolve), and after each batch writes only
 * the difference between the deadlines of the states before and after: a
 * deadline that closed (the stream reached a final status, or left the
 * status the deadline applies to) is deleted, one that opened or moved (an
 * amended buy-request deadline, an amendment that reopened approvals) is
 * upserted with its new time and expiry key. So the rows are always exactly
 * the open deadlines of the stored states, and everything happens in the
 * durable subscription's transaction with its checkpoint.
 *
 * Per batch, whatever its size, at most four statements: read the touched
 * streams' states, write them back, delete the closed deadlines, upsert the
 * opened or moved ones.
 */
import type pg from 'pg';
import {
  buyRequestDeadlines,
  dealDeadlines,
  deadlineExpiryKey,
  decodeBuyRequestEvent,
  decodeDealEvent,
  decodeListingEvent,
  evolveBuyRequest,
  evolveDeal,
  evolveListing,
  initialBuyRequestState,
  initialDealState,
  initialListingState,
  listingDeadlines,
  type OpenDeadline,
} from '#domain';
import type { RecordedEvent } from '#event-store';
import { decodeOnce } from '../projections/decoded-events.js';
import { stateFromJson, stateToJson } from '../projections/state-json.js';
import { PROJECTION_BATCH_SIZE, type LogSubscriber } from '../subscriptions/durable-subscription.js';

export const DEADLINES = 'deadlines';
/** Every table the deadlines projection writes: a rebuild truncates them. */
export const DEADLINES_TABLES = ['deadlines', 'deadline_streams'] as const;

/** A stream type that holds deadlines: how to fold it and which deadlines a state holds. */
interface DeadlineStream {
  readonly prefix: string;
  readonly initialState: unknown;
  evolve(state: unknown, recorded: RecordedEvent): unknown;
  deadlines(state: unknown): OpenDeadline[];
}

function deadlineStream<State, Event>(definition: {
  readonly prefix: string;
  readonly initialState: State;
  readonly evolve: (state: State, event: Event) => State;
  readonly decode: (stored: RecordedEvent) => Event;
  readonly deadlines: (state: State) => OpenDeadline[];
}): DeadlineStream {
  return {
    prefix: definition.prefix,
    initialState: definition.initialState,
    // The state came from this definition's own initial state and evolve (or from its stored JSON).
    evolve: (state, recorded) => definition.evolve(state as State, decodeOnce(recorded, definition.decode)),
    deadlines: (state) => definition.deadlines(state as State),
  };
}

/** Listing, deal and buy-request streams; no prefix is a prefix of another. */
const DEADLINE_STREAMS: readonly DeadlineStream[] = [
  deadlineStream({ prefix: 'listing-', initialState: initialListingState, evolve: evolveListing, decode: decodeListingEvent, deadlines: listingDeadlines }),
  deadlineStream({ prefix: 'deal-', initialState: initialDealState, evolve: evolveDeal, decode: decodeDealEvent, deadlines: dealDeadlines }),
  deadlineStream({ prefix: 'buy-request-', initialState: initialBuyRequestState, evolve: evolveBuyRequest, decode: decodeBuyRequestEvent, deadlines: buyRequestDeadlines }),
];

const LOAD_STATES = 'SELECT stream_id, state, stream_revision::text AS stream_revision FROM deadline_streams WHERE stream_id = ANY($1::text[])';

// Column arrays unnested into rows: cheaper to build and to take apart than JSON recordsets.
const SAVE_STATES = `INSERT INTO deadline_streams (stream_id, state, stream_revision)
  SELECT * FROM unnest($1::text[], $2::jsonb[], $3::bigint[])
  ON CONFLICT (stream_id) DO UPDATE SET state = EXCLUDED.state, stream_revision = EXCLUDED.stream_revision`;

const DELETE_CLOSED = `DELETE FROM deadlines AS d USING unnest($1::text[], $2::text[]) AS closed(stream_id, kind)
  WHERE d.stream_id = closed.stream_id AND d.kind = closed.kind`;

const UPSERT_OPENED = `INSERT INTO deadlines (stream_id, kind, deadline_at, expiry_key)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
  ON CONFLICT (stream_id, kind) DO UPDATE SET deadline_at = EXCLUDED.deadline_at, expiry_key = EXCLUDED.expiry_key`;

export function deadlinesProjection(): LogSubscriber {
  return {
    name: DEADLINES,
    // Set-based: a batch costs a few statements whatever its size, so large ones pay.
    batchSize: PROJECTION_BATCH_SIZE,
    // Unfiltered like the views: the checkpoint passes every position, so lag is one comparison.
    async handle(events, transaction) {
      const byStream = groupByStream(events);
      if (byStream.size === 0) return;
      const stored = await loadStates(transaction, [...byStream.keys()]);
      const saved = { streamIds: [] as string[], states: [] as string[], revisions: [] as string[] };
      const closed = { streamIds: [] as string[], kinds: [] as string[] };
      const opened = { streamIds: [] as string[], kinds: [] as string[], deadlineAts: [] as string[], keys: [] as string[] };
      for (const [streamId, { stream, events: streamEvents }] of byStream) {
        const current = stored.get(streamId);
        let state = current === undefined ? stream.initialState : stateFromJson<unknown>(current.state);
        let revision = current?.revision ?? -1n;
        const before = stream.deadlines(state);
        let changed = false;
        for (const recorded of streamEvents) {
          // At-least-once delivery meets a state that already holds the event: skip it.
          if (recorded.revision <= revision) continue;
          state = stream.evolve(state, recorded);
          revision = recorded.revision;
          changed = true;
        }
        // Nothing new for this stream (redelivery): its state and rows stand.
        if (!changed) continue;
        saved.streamIds.push(streamId);
        saved.states.push(stateToJson(state));
        saved.revisions.push(revision.toString());
        const after = stream.deadlines(state);
        for (const deadline of before) {
          if (after.some((open) => open.kind === deadline.kind)) continue;
          closed.streamIds.push(streamId);
          closed.kinds.push(deadline.kind);
        }
        for (const deadline of after) {
          if (before.some((open) => open.kind === deadline.kind && open.deadlineAt.getTime() === deadline.deadlineAt.getTime())) continue;
          opened.streamIds.push(streamId);
          opened.kinds.push(deadline.kind);
          opened.deadlineAts.push(deadline.deadlineAt.toISOString());
          opened.keys.push(deadlineExpiryKey(streamId, deadline));
        }
      }
      if (saved.streamIds.length > 0) await transaction.query(SAVE_STATES, [saved.streamIds, saved.states, saved.revisions]);
      if (closed.streamIds.length > 0) await transaction.query(DELETE_CLOSED, [closed.streamIds, closed.kinds]);
      if (opened.streamIds.length > 0) await transaction.query(UPSERT_OPENED, [opened.streamIds, opened.kinds, opened.deadlineAts, opened.keys]);
    },
  };
}

function streamOf(streamId: string): DeadlineStream | undefined {
  return DEADLINE_STREAMS.find((stream) => streamId.startsWith(stream.prefix));
}

function groupByStream(events: readonly RecordedEvent[]): Map<string, { stream: DeadlineStream; events: RecordedEvent[] }> {
  const byStream = new Map<string, { stream: DeadlineStream; events: RecordedEvent[] }>();
  for (const event of events) {
    const known = byStream.get(event.streamId);
    if (known !== undefined) {
      known.events.push(event);
      continue;
    }
    const stream = streamOf(event.streamId);
    if (stream !== undefined) byStream.set(event.streamId, { stream, events: [event] });
  }
  return byStream;
}

async function loadStates(client: pg.ClientBase, streamIds: string[]): Promise<Map<string, { state: unknown; revision: bigint }>> {
  const result = await client.query<{ stream_id: string; state: unknown; stream_revision: string }>(LOAD_STATES, [streamIds]);
  return new Map(result.rows.map((row) => [row.stream_id, { state: row.state, revision: BigInt(row.stream_revision) }]));
}
