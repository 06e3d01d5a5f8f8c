/**
 * The PostgreSQL event store: one append-only table, `ledger_events`.
 *
 * Global order. A sequence number is drawn when a row is inserted but becomes
 * visible only when its transaction commits, and transactions commit in any
 * order: a reader that saw sequence p+1 and moved its checkpoint past it
 * would never see p, committed a moment later (Marten #3321, Emmett #336).
 * Here every row also records its transaction id, and readers only take rows
 * whose transaction id is below the xmin of their snapshot: every such
 * transaction has ended, and every transaction still running or yet to start
 * has an id at or above it. The log is ordered by (transaction id, sequence),
 * so everything a reader returns is final and everything it has not returned
 * sorts after it. An append is a single INSERT whose first write assigns the
 * transaction id, so an append that follows another (in a stream, or because
 * it read it) always sorts after it.
 *
 * Cost: one long-running transaction anywhere in the cluster holds readers
 * back (they wait; they never skip). Keep transactions short.
 */
import type pg from 'pg';
import { assertAppendable, boundedReadCount, withLowerCaseIds } from '../append-validation.js';
import { ConcurrencyError, DuplicateEventIdError, EventStoreUnavailableError } from '../event-store.errors.js';
import {
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LogFilter,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../event-store.port.js';
import { GENESIS_HASH, hashEvent } from '../hash-chain.js';
import { START_POSITION, type LogPosition } from '../log-position.js';
import { StreamHeadCache, type StreamHead } from '../stream-head-cache.js';
import { InsertBatcher, type InsertBatcherOptions, type InsertedRow, type RowToInsert } from './insert-batcher.js';

const UNIQUE_VIOLATION = '23505';
/**
 * An `any` append re-reads the head and tries again under contention: with N
 * appenders racing on one stream each round lets one through, so the bound
 * must exceed the contention we expect (tens), and the random pause keeps
 * the losers from colliding again in lock step.
 */
const MAX_ANY_ATTEMPTS = 100;
const MAX_ANY_PAUSE_MS = 20;

// Reads are bound by decoding rows in Node: ids, int8 and xid8 come as text
// without casts, and the recording time as epoch milliseconds, which is far
// cheaper to turn into a Date than timestamptz text.
const RECORDED_COLUMNS = `event_id AS id, event_type AS type, data, metadata, stream_id,
  stream_revision AS revision, transaction_id AS commit, global_seq AS prepare,
  floor(extract(epoch FROM recorded_at) * 1000)::bigint AS recorded_at_ms, prev_hash, hash`;

/** A row of RECORDED_COLUMNS, fetched in array mode: no per-row object with named keys to build. */
type RecordedRow = [
  id: string,
  type: string,
  data: RecordedEvent['data'],
  metadata: RecordedEvent['metadata'],
  streamId: string,
  revision: string,
  commit: string,
  prepare: string,
  recordedAtMs: string,
  prevHash: string,
  hash: string,
];

export interface PostgresEventStoreOptions {
  /** How many stream heads to remember; default 10,000 (a few MB). */
  readonly streamHeadCacheSize?: number;
  /**
   * Told when an idle pooled connection is dropped by the server (restart,
   * failover) while the store is open; the pool replaces it. Without a
   * listener such an error would crash the process. Not told during close(),
   * when the server may end connections that are already being closed.
   */
  readonly onIdleConnectionError?: (error: Error) => void;
  /**
   * Group commit of single-event appends made while others are running (see
   * InsertBatcher); false appends each on its own. Default: on, 4 inserts at once.
   */
  readonly appendBatching?: InsertBatcherOptions | false;
}

export class PostgresEventStore implements EventStore {
  private readonly heads: StreamHeadCache;
  private readonly batcher: InsertBatcher | null;
  private closing = false;

  constructor(
    private readonly pool: pg.Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.heads = new StreamHeadCache(options.streamHeadCacheSize ?? 10_000);
    this.batcher =
      options.appendBatching === false
        ? null
        : new InsertBatcher((rows) => this.insertSingleEvents(rows), { failsEveryRow: (error) => error instanceof EventStoreUnavailableError, ...options.appendBatching });
    const onIdleConnectionError = options.onIdleConnectionError;
    if (onIdleConnectionError !== undefined) {
      pool.on('error', (error) => {
        if (!this.closing) onIdleConnectionError(error);
      });
    }
  }

  async append(streamId: string, appended: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(streamId, appended, expected);
    const events = withLowerCaseIds(appended);
    for (let attempt = 1; ; attempt += 1) {
      const base = await this.baseFor(streamId, expected);
      if (base === 'missing') return this.explainFailure(streamId, events, expected);
      const inserted = await this.tryInsert(streamId, events, base);
      if (inserted !== null) return inserted;
      if (expected !== 'any' || attempt >= MAX_ANY_ATTEMPTS) return this.explainFailure(streamId, events, expected);
      // Someone appended since we looked: find out whether it was us, then retry on the new head.
      const stored = await this.findStoredAppend(streamId, events);
      if (stored !== null) return stored;
      this.heads.forget(streamId);
      await pause(Math.random() * Math.min(MAX_ANY_PAUSE_MS, 2 ** attempt));
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision ?? 0n;
    const maxCount = boundedReadCount(options.maxCount);
    const result = await this.queryArrays<RecordedRow>({
      name: 'ledger_read_stream',
      rowMode: 'array',
      text: `SELECT ${RECORDED_COLUMNS} FROM ledger_events
             WHERE stream_id = $1 AND stream_revision >= $2 ORDER BY stream_revision LIMIT $3`,
      values: [streamId, fromRevision.toString(), maxCount],
    });
    const events = result.rows.map(toRecordedEvent);
    const last = events[events.length - 1];
    if (last !== undefined) this.heads.remember(streamId, { revision: last.revision, hash: last.hash });
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START_POSITION;
    const values: unknown[] = [after.commit.toString(), after.prepare.toString(), boundedReadCount(options.maxCount)];
    const conditions = filterConditions(options.filter, values);
    const result = await this.queryArrays<RecordedRow>({
      rowMode: 'array',
      text: `SELECT ${RECORDED_COLUMNS} FROM ledger_events
             WHERE (transaction_id, global_seq) > ($1::text::xid8, $2::bigint)
               AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
               ${conditions}
             ORDER BY transaction_id, global_seq LIMIT $3`,
      values,
    });
    return result.rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<LogPosition | null> {
    const result = await this.query<{ commit: string; prepare: string }>({
      text: `SELECT transaction_id::text AS commit, global_seq::text AS prepare FROM ledger_events
             WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
             ORDER BY transaction_id DESC, global_seq DESC LIMIT 1`,
    });
    const row = result.rows[0];
    return row === undefined ? null : { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
  }

  async ping(): Promise<void> {
    await this.query({ text: 'SELECT 1' });
  }

  /** Ends the pool; closing again (a test that took the store down, then the app's shutdown) is a no-op. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.pool.end();
  }

  /** The event the append follows: its head, 'no_stream', or 'missing' when the expected revision does not exist. */
  private async baseFor(streamId: string, expected: ExpectedRevision): Promise<StreamHead | 'no_stream' | 'missing'> {
    if (expected === 'no_stream') return 'no_stream';
    const cached = this.heads.get(streamId);
    if (expected === 'any') return cached ?? (await this.readHead(streamId));
    if (cached !== undefined && cached.revision === expected) return cached;
    const result = await this.query<{ hash: string }>({
      name: 'ledger_read_hash',
      text: 'SELECT hash FROM ledger_events WHERE stream_id = $1 AND stream_revision = $2',
      values: [streamId, expected.toString()],
    });
    const row = result.rows[0];
    return row === undefined ? 'missing' : { revision: expected, hash: row.hash };
  }

  private async readHead(streamId: string): Promise<StreamHead | 'no_stream'> {
    const result = await this.query<{ revision: string; hash: string }>({
      name: 'ledger_read_head',
      text: `SELECT stream_revision::text AS revision, hash FROM ledger_events
             WHERE stream_id = $1 ORDER BY stream_revision DESC LIMIT 1`,
      values: [streamId],
    });
    const row = result.rows[0];
    return row === undefined ? 'no_stream' : { revision: BigInt(row.revision), hash: row.hash };
  }

  /**
   * One INSERT, one round trip. It re-checks that the event it follows is
   * stored with the hash it chains from; the unique (stream, revision) key
   * refuses a concurrent append to the same place. Returns null when either
   * refused it. A single event goes through the batcher, with the single
   * events of other appends running meanwhile.
   */
  private async tryInsert(streamId: string, events: readonly EventToAppend[], base: StreamHead | 'no_stream'): Promise<AppendResult | null> {
    let revision = base === 'no_stream' ? 0n : base.revision + 1n;
    let prevHash = base === 'no_stream' ? GENESIS_HASH : base.hash;
    const baseRevision = base === 'no_stream' ? null : base.revision.toString();
    const baseHash = base === 'no_stream' ? null : base.hash;
    const rows: RowToInsert[] = events.map((event) => {
      const hash = hashEvent({ ...event, streamId, revision, prevHash });
      const row = { streamId, id: event.id, type: event.type, data: event.data, metadata: event.metadata, revision: revision.toString(), prevHash, hash, baseRevision, baseHash };
      prevHash = hash;
      revision += 1n;
      return row;
    });
    const last = rows.length === 1 && this.batcher !== null ? await this.batcher.insert(rows[0]!) : await this.insertAppend(rows);
    if (last === null) return null;
    const nextExpectedRevision = BigInt(last.revision);
    this.heads.remember(streamId, { revision: nextExpectedRevision, hash: rows[rows.length - 1]!.hash });
    return { nextExpectedRevision, position: { commit: BigInt(last.commit), prepare: BigInt(last.prepare) } };
  }

  /** The events of one append, all or none: the place of its last event, or null when refused. */
  private async insertAppend(rows: readonly RowToInsert[]): Promise<InsertedRow | null> {
    const first = rows[0]!;
    try {
      const result = await this.query<{ revision: string; commit: string; prepare: string }>({
        name: 'ledger_append',
        text: `INSERT INTO ledger_events (stream_id, stream_revision, event_id, event_type, data, metadata, prev_hash, hash)
               SELECT $1, (e.doc->>'revision')::bigint, (e.doc->>'id')::uuid, e.doc->>'type', e.doc->'data', e.doc->'metadata',
                      e.doc->>'prevHash', e.doc->>'hash'
               FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(doc, ord)
               WHERE $3::bigint IS NULL
                  OR EXISTS (SELECT 1 FROM ledger_events WHERE stream_id = $1 AND stream_revision = $3 AND hash = $4)
               ORDER BY e.ord
               RETURNING stream_revision::text AS revision, transaction_id::text AS commit, global_seq::text AS prepare`,
        values: [first.streamId, JSON.stringify(rows), first.baseRevision, first.baseHash],
      });
      let last: InsertedRow | null = null;
      for (const row of result.rows) if (last === null || BigInt(row.revision) > BigInt(last.revision)) last = row;
      return last;
    } catch (error) {
      if (error instanceof Error && (error as pg.DatabaseError).code === UNIQUE_VIOLATION) return null;
      throw error;
    }
  }

  /** Single-event appends of many streams in one INSERT; each row is inserted or skipped on its own (see InsertBatcher). */
  private async insertSingleEvents(rows: readonly RowToInsert[]): Promise<ReadonlyMap<string, InsertedRow>> {
    const result = await this.query<{ id: string; revision: string; commit: string; prepare: string }>({
      name: 'ledger_append_single_events',
      text: `INSERT INTO ledger_events (stream_id, stream_revision, event_id, event_type, data, metadata, prev_hash, hash)
             SELECT r."streamId", r.revision, r.id, r.type, r.data, r.metadata, r."prevHash", r.hash
             FROM jsonb_to_recordset($1::jsonb) AS r("streamId" text, revision bigint, id uuid, type text, data jsonb,
                    metadata jsonb, "prevHash" text, hash text, "baseRevision" bigint, "baseHash" text)
             WHERE r."baseRevision" IS NULL
                OR EXISTS (SELECT 1 FROM ledger_events b
                           WHERE b.stream_id = r."streamId" AND b.stream_revision = r."baseRevision" AND b.hash = r."baseHash")
             ON CONFLICT DO NOTHING
             RETURNING event_id::text AS id, stream_revision::text AS revision, transaction_id::text AS commit, global_seq::text AS prepare`,
      values: [JSON.stringify(rows)],
    });
    return new Map(result.rows.map((row) => [row.id, row]));
  }

  /** After a refused append: the original result if these events are stored already, else a typed error. */
  private async explainFailure(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const stored = await this.findStoredAppend(streamId, events);
    if (stored !== null) return stored;
    this.heads.forget(streamId);
    const head = await this.readHead(streamId);
    throw new ConcurrencyError(streamId, expected, head === 'no_stream' ? 'no_stream' : head.revision);
  }

  /**
   * Idempotent re-append: when every event id is stored already, as these
   * events in this order on this stream, the append happened before and its
   * original result is returned. Ids stored in any other arrangement are a
   * caller's error.
   */
  private async findStoredAppend(streamId: string, events: readonly EventToAppend[]): Promise<AppendResult | null> {
    const result = await this.query<{ id: string; stream_id: string; type: string; revision: string; commit: string; prepare: string }>({
      name: 'ledger_find_ids',
      text: `SELECT event_id::text AS id, stream_id, event_type AS type, stream_revision::text AS revision,
                    transaction_id::text AS commit, global_seq::text AS prepare
             FROM ledger_events WHERE event_id = ANY($1::uuid[])`,
      values: [events.map((event) => event.id)],
    });
    if (result.rows.length === 0) return null;
    const byId = new Map(result.rows.map((row) => [row.id, row]));
    const stored = events.map((event) => byId.get(event.id));
    const sameAppend = stored.every(
      (row, index) =>
        row !== undefined &&
        row.stream_id === streamId &&
        row.type === events[index]!.type &&
        BigInt(row.revision) === BigInt(stored[0]!.revision) + BigInt(index),
    );
    if (!sameAppend) {
      throw new DuplicateEventIdError(streamId, result.rows.map((row) => row.id));
    }
    const last = stored[stored.length - 1]!;
    return { nextExpectedRevision: BigInt(last.revision), position: { commit: BigInt(last.commit), prepare: BigInt(last.prepare) } };
  }

  private query<Row extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<Row>> {
    return this.reportingUnavailable(() => this.pool.query<Row>(config));
  }

  private queryArrays<Row extends unknown[]>(config: pg.QueryArrayConfig): Promise<pg.QueryArrayResult<Row>> {
    return this.reportingUnavailable(() => this.pool.query<Row>(config));
  }

  private async reportingUnavailable<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isConnectionFailure(error)) throw new EventStoreUnavailableError('PostgreSQL event store unreachable', { cause: error });
      throw error;
    }
  }

}

function filterConditions(filter: LogFilter | undefined, values: unknown[]): string {
  let sql = '';
  if (filter?.streamPrefixes !== undefined && filter.streamPrefixes.length > 0) {
    values.push(filter.streamPrefixes.map((prefix) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`));
    sql += ` AND stream_id LIKE ANY($${values.length}::text[])`;
  }
  if (filter?.eventTypes !== undefined && filter.eventTypes.length > 0) {
    values.push([...filter.eventTypes]);
    sql += ` AND event_type = ANY($${values.length}::text[])`;
  }
  return sql;
}

function toRecordedEvent([id, type, data, metadata, streamId, revision, commit, prepare, recordedAtMs, prevHash, hash]: RecordedRow): RecordedEvent {
  return {
    id,
    type,
    data,
    metadata,
    streamId,
    revision: BigInt(revision),
    position: { commit: BigInt(commit), prepare: BigInt(prepare) },
    recordedAt: new Date(Number(recordedAtMs)),
    prevHash,
    hash,
  };
}

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: string }).code;
  // Node socket errors, and PostgreSQL class 08 (connection exception) and 57P (operator intervention).
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === 'EPIPE' ||
    (typeof code === 'string' && (code.startsWith('08') || code.startsWith('57P'))) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(error.message)
  );
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
