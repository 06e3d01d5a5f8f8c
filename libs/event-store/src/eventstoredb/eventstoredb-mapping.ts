/**
 * Pure translations between the port's types and @eventstore/db-client's:
 * no I/O here, so the EventStoreDB adapter's logic is unit-tested without a
 * server (eventstoredb-event-store.spec.ts).
 */
import {
  DeadlineExceededError,
  NO_STREAM,
  NotLeaderError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type EventData,
  type Position,
} from '@eventstore/db-client';
import { ConcurrencyError, DuplicateEventIdError } from '../event-store.errors.js';
import type { EventMetadata, EventToAppend, ExpectedRevision, JsonObject, LogFilter, RecordedEvent } from '../event-store.port.js';
import { GENESIS_HASH, hashEvent } from '../hash-chain.js';
import type { LogPosition } from '../log-position.js';
import type { StreamHead } from '../stream-head-cache.js';

/**
 * The key under which the hash chain rides in each event's ESDB metadata,
 * next to the port's EventMetadata. ESDB gives meaning only to a few `$`
 * keys ($correlationId, $causationId); this one is ours.
 */
export const CHAIN_METADATA_KEY = '$ledger';

export interface ChainLink {
  readonly prevHash: string;
  readonly hash: string;
}

/** What the stream holds before an append: its last event, or nothing yet. */
export type AppendBase = StreamHead | 'no_stream';

/**
 * The fields of a recorded ESDB event the adapter reads. The client's
 * `RecordedEvent` (a union of its JSON and binary shapes) is assignable to it.
 */
export interface EsdbRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly isJson: boolean;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly created: Date;
  /** Present for reads of $all, and for stream reads on servers after 22.6.0. */
  readonly position?: Position;
}

/** The metadata stored in ESDB: the caller's, plus the hash chain. */
export function toStoredMetadata(metadata: EventMetadata, link: ChainLink): JsonObject {
  return { ...metadata, [CHAIN_METADATA_KEY]: { prevHash: link.prevHash, hash: link.hash } };
}

/**
 * Splits stored metadata back into the caller's metadata and the chain link.
 * An event without a well-formed link (written around the adapter) reads
 * with empty hashes, so chain verification names its revision.
 */
export function fromStoredMetadata(stored: unknown): { metadata: EventMetadata } & ChainLink {
  if (!isPlainObject(stored)) throw new TypeError('event metadata is not a JSON object: not a ledger event');
  const { [CHAIN_METADATA_KEY]: link, ...metadata } = stored;
  const chain = isPlainObject(link) && typeof link.prevHash === 'string' && typeof link.hash === 'string' ? link : { prevHash: '', hash: '' };
  return { metadata: metadata as unknown as EventMetadata, prevHash: chain.prevHash as string, hash: chain.hash as string };
}

/**
 * The ESDB expectation for an append at a known place. `any` never reaches
 * ESDB: the adapter reads the head and appends at that exact revision, or the
 * hashes it computed could land after an event they do not chain from.
 */
export function toEsdbExpectedRevision(expected: 'no_stream' | bigint): AppendExpectedRevision {
  return expected === 'no_stream' ? NO_STREAM : expected;
}

export function toLogPosition(position: Position | undefined): LogPosition {
  if (position === undefined) {
    throw new Error('EventStoreDB returned an event without its log position: the adapter needs EventStoreDB 22.6 or later');
  }
  return { commit: position.commit, prepare: position.prepare };
}

/** The port's refusal for ESDB's: `actual` is the stream's last revision when ESDB refused, or 'no_stream'. */
export function toConcurrencyError(streamId: string, expected: ExpectedRevision, error: WrongExpectedVersionError): ConcurrencyError {
  return new ConcurrencyError(streamId, expected, error.actualVersion);
}

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return error instanceof WrongExpectedVersionError || (error as { type?: unknown } | null)?.type === 'wrong-expected-version';
}

/**
 * The events of one append, chained from `base`. Ids go to ESDB in lower
 * case, as it returns them on read, so a stored event re-hashes the same.
 */
export function buildAppendBatch(streamId: string, events: readonly EventToAppend[], base: AppendBase): { eventData: EventData[]; last: StreamHead } {
  let revision = base === 'no_stream' ? 0n : base.revision + 1n;
  let prevHash = base === 'no_stream' ? GENESIS_HASH : base.hash;
  const eventData = events.map((event): EventData => {
    const id = event.id.toLowerCase();
    const hash = hashEvent({ id, streamId, revision, type: event.type, data: event.data, metadata: event.metadata, prevHash });
    const data = jsonEvent({ id, type: event.type, data: event.data, metadata: toStoredMetadata(event.metadata, { prevHash, hash }) });
    prevHash = hash;
    revision += 1n;
    return data;
  });
  return { eventData, last: { revision: revision - 1n, hash: prevHash } };
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const where = `stream ${event.streamId} revision ${event.revision} (event ${event.id})`;
  if (!event.isJson || !isPlainObject(event.data)) throw new TypeError(`${where}: data is not a JSON object: not a ledger event`);
  let split: ReturnType<typeof fromStoredMetadata>;
  try {
    split = fromStoredMetadata(event.metadata);
  } catch (error) {
    throw new TypeError(`${where}: ${(error as Error).message}`, { cause: error });
  }
  return {
    id: event.id,
    type: event.type,
    data: event.data as JsonObject,
    metadata: split.metadata,
    streamId: event.streamId,
    revision: event.revision,
    position: toLogPosition(event.position),
    recordedAt: event.created,
    prevHash: split.prevHash,
    hash: split.hash,
  };
}

/** EventStoreDB's own events ($stats, $metadata, projection links `$>`, ...) are not the ledger's. */
export function isSystemEvent(event: Pick<EsdbRecordedEvent, 'type'>): boolean {
  return event.type.startsWith('$');
}

/** The port's LogFilter: any of the stream prefixes, and any of the exact event types; an empty list passes all. */
export function matchesLogFilter(event: Pick<EsdbRecordedEvent, 'streamId' | 'type'>, filter: LogFilter | undefined): boolean {
  const prefixes = filter?.streamPrefixes ?? [];
  const types = filter?.eventTypes ?? [];
  if (prefixes.length > 0 && !prefixes.some((prefix) => event.streamId.startsWith(prefix))) return false;
  if (types.length > 0 && !types.includes(event.type)) return false;
  return true;
}

export type StoredBatch =
  | { readonly kind: 'none' }
  | { readonly kind: 'stored'; readonly last: RecordedEvent }
  | { readonly kind: 'conflict'; readonly error: DuplicateEventIdError };

/**
 * Idempotent re-append: given events read from the stream, whether the
 * batch is stored there already as these events (same ids and types) at
 * consecutive revisions in the same order, or only partly or otherwise
 * arranged (a caller reused an id for another fact), or not at all.
 */
export function matchStoredBatch(streamId: string, stored: readonly RecordedEvent[], events: readonly EventToAppend[]): StoredBatch {
  const byId = new Map(stored.map((event) => [event.id.toLowerCase(), event]));
  const found = events.map((event) => byId.get(event.id.toLowerCase()));
  if (found.every((event) => event === undefined)) return { kind: 'none' };
  const first = found[0];
  const sameAppend =
    first !== undefined &&
    found.every((event, index) => event !== undefined && event.type === events[index]!.type && event.revision === first.revision + BigInt(index));
  if (sameAppend) return { kind: 'stored', last: found[found.length - 1]! };
  const ids = found.filter((event) => event !== undefined).map((event) => event.id);
  return { kind: 'conflict', error: new DuplicateEventIdError(streamId, ids) };
}

/**
 * The server could not be reached or did not answer in time. The client
 * converts most gRPC failures to its error classes; an append whose call
 * fails to connect rejects with the raw gRPC error, hence the status codes.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof UnavailableError || error instanceof DeadlineExceededError || error instanceof TimeoutError || error instanceof NotLeaderError) {
    return true;
  }
  if (!(error instanceof Error)) return false;
  const { type, code } = error as { type?: unknown; code?: unknown };
  if (type === 'unavailable' || type === 'deadline-exceeded' || type === 'timeout' || type === 'not-leader' || type === 'cancelled') return true;
  // gRPC status codes: 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE.
  if (code === 4 || code === 14) return true;
  return /Failed to discover after \d+ attempts/.test(error.message);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
