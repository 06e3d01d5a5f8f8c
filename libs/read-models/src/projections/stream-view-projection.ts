/**
 * A read model with one row per stream, projected set-based: each batch of
 * the log is grouped by stream, the affected rows are read in one query,
 * their stored states evolved with the domain's own evolve (a projection is
 * just another evolve), and written back in one upsert. A view whose
 * streams hold deadlines also writes the difference in their deadlines
 * (deadlines/deadline-rows.ts): the state is folded once for both.
 * Everything happens in the durable subscription's transaction, with its
 * checkpoint.
 */
import type pg from 'pg';
import type { OpenDeadline } from '#domain';
import type { RecordedEvent } from '#event-store';
import { DeadlineChanges } from '../deadlines/deadline-rows.js';
import { PROJECTION_BATCH_SIZE, type LogSubscriber } from '../subscriptions/durable-subscription.js';
import { decodeOnce } from './decoded-events.js';
import { stateFromJson, stateToJson } from './state-json.js';

type SqlType = 'text' | 'bigint' | 'int' | 'timestamptz' | 'text[]';
type ColumnValue = string | number | bigint | Date | null | readonly string[];

export interface StreamViewDefinition<State, Event> {
  /** The subscription's name: it names the checkpoint and the leader lock. */
  readonly name: string;
  readonly table: string;
  /** Streams of this view are named `<prefix><id>`. */
  readonly streamPrefix: string;
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decode(stored: RecordedEvent): Event;
  /** The query columns of a row and their SQL types, besides id, state and stream_revision. */
  readonly columns: Readonly<Record<string, SqlType>>;
  /** Their values for a state; null: the stream has nothing worth a row yet. */
  columnValues(state: State): Readonly<Record<string, ColumnValue>> | null;
  /** The deadlines a state holds open (libs/domain deadlines.ts), kept in the deadlines table; absent: none. */
  deadlines?(state: State): OpenDeadline[];
}

export function streamViewProjection<State, Event>(view: StreamViewDefinition<State, Event>): LogSubscriber {
  const columnNames = Object.keys(view.columns);
  const allColumns = ['id', 'state', 'stream_revision', ...columnNames].join(', ');
  const types: Array<SqlType | 'jsonb'> = ['text', 'jsonb', 'bigint', ...columnNames.map((name) => view.columns[name]!)];
  // An array column travels as the text form of each row's array: unnest would flatten a two-dimensional array into its elements.
  const arrays = types.map((type, index) => `$${index + 1}::${type.endsWith('[]') ? 'text' : type}[]`).join(', ');
  const selected = types.map((type, index) => (type.endsWith('[]') ? `c${index}::${type}` : `c${index}`)).join(', ');
  const updates = ['state', 'stream_revision', ...columnNames].map((name) => `${name} = EXCLUDED.${name}`).join(', ');
  // One array per column, unnested into rows: cheaper to build and to take apart than a JSON recordset.
  const upsert = `INSERT INTO ${view.table} (${allColumns})
    SELECT ${selected} FROM unnest(${arrays}) AS u(${types.map((_type, index) => `c${index}`).join(', ')})
    ON CONFLICT (id) DO UPDATE SET ${updates}`;

  return {
    name: view.name,
    // Set-based: a batch costs a few statements whatever its size, so large ones pay.
    batchSize: PROJECTION_BATCH_SIZE,
    // Unfiltered on purpose: the checkpoint then passes every position of the log, so
    // "has this view caught up with position p" (read-your-writes) is one comparison.
    async handle(events, transaction) {
      const byStream = groupByStream(events, view.streamPrefix);
      if (byStream.size === 0) return;
      const stored = await loadRows(transaction, view.table, [...byStream.keys()]);
      const ids: string[] = [];
      const states: string[] = [];
      const revisions: string[] = [];
      const columns: Array<Array<string | number | null>> = columnNames.map(() => []);
      const deadlinesOf = view.deadlines;
      const deadlines = deadlinesOf === undefined ? null : new DeadlineChanges();
      for (const [id, streamEvents] of byStream) {
        const current = stored.get(id);
        let state = current === undefined ? view.initialState : stateFromJson<State>(current.state);
        let revision = current?.revision ?? -1n;
        const before = state;
        let changed = false;
        for (const event of streamEvents) {
          // At-least-once delivery meets a row that already holds the event: skip it.
          if (event.revision <= revision) continue;
          state = view.evolve(state, decodeOnce(event, view.decode));
          revision = event.revision;
          changed = true;
        }
        // Nothing new for this row (redelivery): leave it as it is.
        if (!changed) continue;
        const values = view.columnValues(state);
        if (values === null) continue;
        ids.push(id);
        states.push(stateToJson(state));
        revisions.push(revision.toString());
        columnNames.forEach((name, index) => columns[index]!.push(sqlValue(values[name] ?? null)));
        if (deadlines !== null && deadlinesOf !== undefined) deadlines.note(`${view.streamPrefix}${id}`, deadlinesOf(before), deadlinesOf(state));
      }
      if (ids.length > 0) await transaction.query(upsert, [ids, states, revisions, ...columns]);
      await deadlines?.write(transaction);
    },
  };
}

function groupByStream(events: readonly RecordedEvent[], prefix: string): Map<string, RecordedEvent[]> {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    if (!event.streamId.startsWith(prefix)) continue;
    const id = event.streamId.slice(prefix.length);
    const list = byStream.get(id);
    if (list === undefined) byStream.set(id, [event]);
    else list.push(event);
  }
  return byStream;
}

async function loadRows(client: pg.ClientBase, table: string, ids: string[]): Promise<Map<string, { state: unknown; revision: bigint }>> {
  const result = await client.query<{ id: string; state: unknown; stream_revision: string }>(
    `SELECT id, state, stream_revision FROM ${table} WHERE id = ANY($1::text[])`,
    [ids],
  );
  return new Map(result.rows.map((row) => [row.id, { state: row.state, revision: BigInt(row.stream_revision) }]));
}

function sqlValue(value: ColumnValue): string | number | null {
  if (Array.isArray(value)) return arrayLiteral(value as readonly string[]);
  return value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? value.toString() : (value as string | number | null);
}

/** The text form of a one-dimensional text[]: every element quoted, so none is read as NULL or split. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}
