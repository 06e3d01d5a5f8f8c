/**
 * The event store port. Everything the write side, the projectors and the
 * compliance routes need from a store, and nothing that only one store can do.
 * Two adapters implement it (PostgreSQL and EventStoreDB) and one contract
 * suite (`event-store.contract.ts`) holds both to the same behaviour.
 */
import type { LogPosition } from './log-position.js';

/** Who did it, why and when: carried by every event, hashed with it. */
export interface EventMetadata {
  readonly actorId: string;
  readonly actorRole: string;
  /** The request or workflow this event belongs to. */
  readonly correlationId: string;
  /** The command or event that caused this one; null for a first cause. */
  readonly causationId: string | null;
  /** ISO 8601 UTC time the fact happened, from the caller's clock. */
  readonly occurredAt: string;
  /** Version of the event's data schema; upcasters key on it. */
  readonly schemaVersion: number;
}

/** A JSON value as it is stored and hashed: no bigint, no undefined, no Date. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What a caller hands to `append`. The id is the caller's: retries reuse it. */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: EventMetadata;
}

/** An event as the store holds it: the caller's fields plus what the store added. */
export interface RecordedEvent extends EventToAppend {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: LogPosition;
  readonly recordedAt: Date;
  /** Hash of the event before this one in its stream (GENESIS_HASH for revision 0). */
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * What the caller believes about the stream before appending:
 * `no_stream` (it must not exist), `any` (no check), or the revision of its
 * last event (an exact match is required).
 */
export type ExpectedRevision = 'no_stream' | 'any' | bigint;

export interface AppendResult {
  /** Revision of the last event written: the expected revision of the next append. */
  readonly nextExpectedRevision: bigint;
  /** Global log position of the last event written. */
  readonly position: LogPosition;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive); default 0. */
  readonly fromRevision?: bigint;
  /** At most this many events; default and ceiling MAX_READ_COUNT. */
  readonly maxCount?: number;
}

/** Which events of the global log a reader wants. Both lists empty or absent: all. */
export interface LogFilter {
  readonly streamPrefixes?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Events strictly after this position; default: the start of the log. */
  readonly after?: LogPosition;
  readonly maxCount?: number;
  readonly filter?: LogFilter;
}

export interface EventStore {
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Events of the global log in log order, strictly after `options.after`.
   * Never returns an event while an event before it may still be committed:
   * a reader that resumes from the last position it saw skips nothing.
   */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event a reader can see now; null for an empty log. */
  headPosition(): Promise<LogPosition | null>;
  /** Whether the store answers; used by readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Dependency-injection token for the configured EventStore. */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * Upper bounds (TIGER_STYLE: a limit on everything). 1,000 events per append
 * is far above any command of the domain (a deal command writes at most three
 * facts) and keeps one append inside a single INSERT; 4,096 per read bounds a
 * page in memory.
 */
export const MAX_EVENTS_PER_APPEND = 1_000;
export const MAX_READ_COUNT = 4_096;
