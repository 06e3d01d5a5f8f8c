/**
 * The EventStoreDB event store, on @eventstore/db-client 6.2 (gRPC). This
 * folder is the only place in the repository that imports the client.
 *
 * Streams are ESDB streams; the global log is $all without ESDB's own
 * (`$`-typed) events, in ESDB's commit order. ESDB returns an event from $all
 * only once it is committed and indexed, and a later commit always gets a
 * higher position, so a reader resuming after the last position it saw
 * skips nothing.
 *
 * Hash chain. Each event carries `{ prevHash, hash }` in its ESDB metadata
 * under `$ledger`, next to the port's EventMetadata; reads strip it again.
 * Computing a hash needs the hash of the event before, so every append goes
 * to an exact revision: an `any` append reads the head and appends after it,
 * retrying when someone appended first; ESDB's own `any` would place the
 * events after whatever is there, chained from a hash that is not.
 *
 * Idempotent re-append. ESDB answers an append at an exact revision whose
 * events are stored right after that revision with the original success.
 * The adapter covers the rest by reading the stream: after a refused append,
 * from the expected revision + 1; for `no_stream` and `any`, the newest
 * RECENT_WINDOW events. ESDB has no index of event ids, so two cases go
 * undetected: an id stored in another stream (the append succeeds, and the
 * id is then stored twice; the PostgreSQL store refuses it with
 * DuplicateEventIdError), and an `any` or exact-revision re-append of events
 * that are older than that window or sit before the expected revision (the
 * events are stored again, as ESDB's own `any` would).
 *
 * Cost. After a successful append the adapter reads the appended events
 * back: the position it returns is then exactly the one readStream and
 * readAll report (ESDB's append answer carries the commit's position, which
 * need not be the last event's as reads report it), and the stream head
 * cache only ever holds hashes the server stored. An append to a stream this
 * process has just read or written is two round trips; `any` appends are
 * three, and read up to RECENT_WINDOW events. The installed client cannot filter reads of $all on the
 * server (only subscriptions), so readAll filters here and reads $all until
 * it has `maxCount` matches or reaches the end.
 */
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  type AppendResult as EsdbAppendResult,
  type ReadPosition,
  type WrongExpectedVersionError,
} from '@eventstore/db-client';
import { assertAppendable, boundedReadCount } from '../append-validation.js';
import { ConcurrencyError, EventStoreUnavailableError } from '../event-store.errors.js';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store.port.js';
import { MAX_READ_COUNT } from '../event-store.port.js';
import { comparePositions, type LogPosition } from '../log-position.js';
import { StreamHeadCache, type StreamHead } from '../stream-head-cache.js';
import {
  buildAppendBatch,
  isConnectionFailure,
  isSystemEvent,
  isWrongExpectedVersion,
  matchStoredBatch,
  matchesLogFilter,
  toConcurrencyError,
  toEsdbExpectedRevision,
  toLogPosition,
  toRecordedEvent,
  type AppendBase,
  type EsdbRecordedEvent,
} from './eventstoredb-mapping.js';

/** An `any` append re-reads the head and tries again this often under contention. */
const MAX_ANY_ATTEMPTS = 32;
/** How many of a stream's newest events a `no_stream` or `any` append searches for its own ids. */
const RECENT_WINDOW = 256;
/** Events of $all per round trip while readAll looks for matches, and while headPosition looks for a ledger event. */
const ALL_PAGE = MAX_READ_COUNT;
const HEAD_PAGE = 512;

export interface EventStoreDbEventStoreOptions {
  /** How many stream heads to remember; default 10,000 (a few MB). */
  readonly streamHeadCacheSize?: number;
}

/** ESDB refused the append: the stream was not where it was expected. */
interface Refusal {
  readonly refused: true;
  /** ESDB's error, carrying the stream's actual revision; absent when the client did not throw. */
  readonly error?: WrongExpectedVersionError;
}

export class EventStoreDbEventStore implements EventStore {
  private readonly heads: StreamHeadCache;

  constructor(
    private readonly client: EventStoreDBClient,
    options: EventStoreDbEventStoreOptions = {},
  ) {
    this.heads = new StreamHeadCache(options.streamHeadCacheSize ?? 10_000);
  }

  /** e.g. `esdb://localhost:2113?tls=false`; see the client's connection string settings. */
  static fromConnectionString(connectionString: string, options: EventStoreDbEventStoreOptions = {}): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString), options);
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    assertAppendable(streamId, events, expected);
    return this.guard(() => (expected === 'any' ? this.appendAny(streamId, events) : this.appendAt(streamId, events, expected)));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const fromRevision = options.fromRevision !== undefined && options.fromRevision > 0n ? options.fromRevision : 0n;
    const maxCount = boundedReadCount(options.maxCount);
    const events = await this.guard(() => this.readForwards(streamId, fromRevision, maxCount));
    const last = events[events.length - 1];
    if (last !== undefined) this.heads.remember(streamId, { revision: last.revision, hash: last.hash });
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = boundedReadCount(options.maxCount);
    return this.guard(async () => {
      const matched: RecordedEvent[] = [];
      let after = options.after;
      for (;;) {
        // ESDB reads $all from a position inclusively: the event at `after` comes back first and is dropped.
        const page = await this.collect(
          this.client.readAll({ fromPosition: after ?? START, direction: FORWARDS, maxCount: ALL_PAGE, resolveLinkTos: false }),
        );
        let advanced = false;
        for (const { event } of page) {
          if (event === undefined) continue;
          const position = toLogPosition(event.position);
          if (after !== undefined && comparePositions(position, after) <= 0) continue;
          after = position;
          advanced = true;
          if (isSystemEvent(event) || !matchesLogFilter(event, options.filter)) continue;
          matched.push(toRecordedEvent(event));
          if (matched.length === maxCount) return matched;
        }
        if (page.length < ALL_PAGE || !advanced) return matched;
      }
    });
  }

  async headPosition(): Promise<LogPosition | null> {
    return this.guard(async () => {
      let from: ReadPosition = END;
      let seen: LogPosition | undefined;
      for (;;) {
        const page = await this.collect(this.client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: HEAD_PAGE, resolveLinkTos: false }));
        let advanced = false;
        for (const { event } of page) {
          if (event === undefined) continue;
          const position = toLogPosition(event.position);
          if (seen !== undefined && comparePositions(position, seen) >= 0) continue;
          seen = position;
          advanced = true;
          if (!isSystemEvent(event)) return position;
        }
        if (page.length < HEAD_PAGE || !advanced || seen === undefined) return null;
        from = seen;
      }
    });
  }

  async ping(): Promise<void> {
    await this.guard(() => this.collect(this.client.readAll({ fromPosition: START, direction: FORWARDS, maxCount: 1 })));
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  /** `no_stream` or an exact revision: one attempt, then the original result, or why not. */
  private async appendAt(streamId: string, events: readonly EventToAppend[], expected: 'no_stream' | bigint): Promise<AppendResult> {
    const base = await this.baseFor(streamId, expected);
    // The expected event is not stored, so neither can this batch be after it.
    if (base === 'missing') throw new ConcurrencyError(streamId, expected, await this.headRevision(streamId));
    const outcome = await this.write(streamId, events, base);
    if (!('refused' in outcome)) return outcome;
    const stored =
      expected === 'no_stream'
        ? await this.findInRecent(streamId, events)
        : await this.findIn(streamId, await this.readForwards(streamId, expected + 1n, events.length), events);
    if (stored !== null) return stored;
    if (outcome.error !== undefined) throw toConcurrencyError(streamId, expected, outcome.error);
    throw new ConcurrencyError(streamId, expected, await this.headRevision(streamId));
  }

  /** `any`: read the head, append right after it; if someone appended first, look again. */
  private async appendAny(streamId: string, events: readonly EventToAppend[]): Promise<AppendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const recent = await this.readRecent(streamId);
      // ESDB would store a re-appended batch again at the new head: look for it first.
      const stored = await this.findIn(streamId, recent, events);
      if (stored !== null) return stored;
      const head = recent[0];
      const base: AppendBase = head === undefined ? 'no_stream' : { revision: head.revision, hash: head.hash };
      if (base !== 'no_stream') this.heads.remember(streamId, base);
      const outcome = await this.write(streamId, events, base);
      if (!('refused' in outcome)) return outcome;
      if (attempt >= MAX_ANY_ATTEMPTS) {
        if (outcome.error !== undefined) throw toConcurrencyError(streamId, 'any', outcome.error);
        throw new ConcurrencyError(streamId, 'any', await this.headRevision(streamId));
      }
      await jitter(attempt);
    }
  }

  /** The event the append follows: 'no_stream', its head, or 'missing' when the expected revision is not stored. */
  private async baseFor(streamId: string, expected: 'no_stream' | bigint): Promise<AppendBase | 'missing'> {
    if (expected === 'no_stream') return 'no_stream';
    const cached = this.heads.get(streamId);
    if (cached !== undefined && cached.revision === expected) return cached;
    const [event] = await this.readForwards(streamId, expected, 1);
    if (event === undefined || event.revision !== expected) return 'missing';
    const head: StreamHead = { revision: event.revision, hash: event.hash };
    this.heads.remember(streamId, head);
    return head;
  }

  /** One append at an exact place; a refusal comes back as a value, every other failure is thrown. */
  private async write(streamId: string, events: readonly EventToAppend[], base: AppendBase): Promise<AppendResult | Refusal> {
    const { eventData } = buildAppendBatch(streamId, events, base);
    let result: EsdbAppendResult;
    try {
      result = await this.client.appendToStream(streamId, eventData, {
        expectedRevision: toEsdbExpectedRevision(base === 'no_stream' ? 'no_stream' : base.revision),
      });
    } catch (error) {
      if (isWrongExpectedVersion(error)) return { refused: true, error };
      throw error;
    }
    // A client built with throwOnAppendFailure=false answers instead of throwing (and its actual revision is unreliable).
    if (!result.success) return { refused: true };
    return this.confirm(streamId, events, base, result);
  }

  /**
   * Reads the appended events back. ESDB also answers success when the
   * events were stored before (same ids right after the expected revision),
   * and then the stored hashes are the originals', which may differ from the
   * ones just computed: only a hash read from the store goes into the cache,
   * and the position returned is the one every read reports.
   */
  private async confirm(streamId: string, events: readonly EventToAppend[], base: AppendBase, result: EsdbAppendResult): Promise<AppendResult> {
    const first = base === 'no_stream' ? 0n : base.revision + 1n;
    const match = matchStoredBatch(streamId, await this.readForwards(streamId, first, events.length), events);
    if (match.kind === 'stored') {
      this.heads.remember(streamId, { revision: match.last.revision, hash: match.last.hash });
      return { nextExpectedRevision: match.last.revision, position: match.last.position };
    }
    if (match.kind === 'conflict') {
      throw new Error(`stream ${streamId}: EventStoreDB acknowledged the append at revision ${first}, where other events are stored`);
    }
    // Not readable yet (a lagging follower): what the server answered is all there is.
    this.heads.forget(streamId);
    return { nextExpectedRevision: result.nextExpectedRevision, position: toLogPosition(result.position) };
  }

  /** The original result when `candidates` (events of the stream) hold this batch; DuplicateEventIdError when they hold part of it. */
  private async findIn(streamId: string, candidates: readonly RecordedEvent[], events: readonly EventToAppend[]): Promise<AppendResult | null> {
    let match = matchStoredBatch(streamId, candidates, events);
    if (match.kind === 'conflict') {
      // A batch cut by the edge of what was read looks partial: read around what was found before refusing.
      const revisions = candidates.filter((event) => events.some((e) => e.id.toLowerCase() === event.id.toLowerCase())).map((event) => event.revision);
      const lowest = revisions.reduce((a, b) => (b < a ? b : a));
      const highest = revisions.reduce((a, b) => (b > a ? b : a));
      const from = lowest > BigInt(events.length - 1) ? lowest - BigInt(events.length - 1) : 0n;
      const around = await this.readForwards(streamId, from, Number(highest - from) + events.length);
      match = matchStoredBatch(streamId, around, events);
    }
    if (match.kind === 'conflict') throw match.error;
    if (match.kind === 'none') return null;
    return { nextExpectedRevision: match.last.revision, position: match.last.position };
  }

  private async findInRecent(streamId: string, events: readonly EventToAppend[]): Promise<AppendResult | null> {
    return this.findIn(streamId, await this.readRecent(streamId), events);
  }

  /** The stream's newest events, newest first; [] for a missing stream. */
  private async readRecent(streamId: string): Promise<RecordedEvent[]> {
    return this.readEvents(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: RECENT_WINDOW });
  }

  private async readForwards(streamId: string, fromRevision: bigint, maxCount: number): Promise<RecordedEvent[]> {
    return this.readEvents(streamId, { fromRevision, direction: FORWARDS, maxCount: Math.max(1, Math.min(maxCount, MAX_READ_COUNT)) });
  }

  private async readEvents(
    streamId: string,
    options: { fromRevision: bigint | typeof END; direction: typeof FORWARDS | typeof BACKWARDS; maxCount: number },
  ): Promise<RecordedEvent[]> {
    try {
      const page = await this.collect(this.client.readStream(streamId, { ...options, resolveLinkTos: false }));
      return page.flatMap(({ event }) => (event === undefined ? [] : [toRecordedEvent(event)]));
    } catch (error) {
      if (error instanceof StreamNotFoundError || (error as { type?: unknown } | null)?.type === 'stream-not-found') return [];
      throw error;
    }
  }

  private async headRevision(streamId: string): Promise<bigint | 'no_stream'> {
    const [head] = await this.readEvents(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
    return head === undefined ? 'no_stream' : head.revision;
  }

  private async collect<T extends { event?: EsdbRecordedEvent }>(read: AsyncIterable<T>): Promise<T[]> {
    const items: T[] = [];
    for await (const item of read) items.push(item);
    return items;
  }

  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (isConnectionFailure(error)) throw new EventStoreUnavailableError('EventStoreDB event store unreachable', { cause: error });
      throw error;
    }
  }
}

/** Spreads contending `any` appenders apart: a random wait of up to 2^attempt ms, at most 50 ms. */
function jitter(attempt: number): Promise<void> {
  const ms = Math.floor(Math.random() * Math.min(50, 2 ** attempt));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
