/**
 * Input checks both adapters share, so a call one store refuses the other
 * refuses too, with the same error, before anything reaches the backend.
 */
import { MAX_EVENTS_PER_APPEND, MAX_READ_COUNT, type EventToAppend, type ExpectedRevision } from './event-store.port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertAppendable(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): void {
  if (streamId.length === 0 || streamId.length > 200) throw new RangeError(`stream id must be 1 to 200 characters: "${streamId}"`);
  if (events.length === 0 || events.length > MAX_EVENTS_PER_APPEND) {
    throw new RangeError(`an append carries 1 to ${MAX_EVENTS_PER_APPEND} events, got ${events.length}`);
  }
  if (typeof expected === 'bigint' && expected < 0n) throw new RangeError(`expected revision must be >= 0, got ${expected}`);
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new TypeError(`event id must be a UUID: "${event.id}"`);
    if (ids.has(event.id.toLowerCase())) throw new TypeError(`event id appears twice in one append: ${event.id}`);
    ids.add(event.id.toLowerCase());
  }
}

/** A read's `maxCount`: default and ceiling MAX_READ_COUNT. */
export function boundedReadCount(maxCount: number | undefined): number {
  if (maxCount === undefined) return MAX_READ_COUNT;
  if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError(`maxCount must be a positive integer, got ${maxCount}`);
  return Math.min(maxCount, MAX_READ_COUNT);
}

/**
 * UUIDs compare case-insensitively but hashes do not: every store keeps and
 * hashes ids in lower case, so `ABC…` and `abc…` are one event everywhere.
 */
export function withLowerCaseIds(events: readonly EventToAppend[]): EventToAppend[] {
  return events.map((event) => (event.id === event.id.toLowerCase() ? event : { ...event, id: event.id.toLowerCase() }));
}
