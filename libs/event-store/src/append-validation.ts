/**
 * Input checks both adapters share, so a call one store refuses the other
 * refuses too, with the same error, before anything reaches the backend.
 */
import { MAX_EVENTS_PER_APPEND, MAX_READ_COUNT, type EventMetadata, type EventToAppend, type ExpectedRevision } from './event-store.port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertAppendable(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): void {
  if (streamId.length === 0 || streamId.length > 200) throw new RangeError(`stream id must be 1 to 200 characters: "${streamId}"`);
  if (events.length === 0 || events.length > MAX_EVENTS_PER_APPEND) {
    throw new RangeError(`an append carries 1 to ${MAX_EVENTS_PER_APPEND} events, got ${events.length}`);
  }
  if (typeof expected === 'bigint' && expected < 0n) throw new RangeError(`expected revision must be >= 0, got ${expected}`);
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.id !== 'string' || !UUID.test(event.id)) throw new TypeError(`event id must be a UUID: "${String(event.id)}"`);
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > 200) {
      throw new TypeError(`event ${event.id}: type must be 1 to 200 characters`);
    }
    assertMetadata(event);
    assertJsonObject(event.data, `event ${event.id}: data`);
    if (ids.has(event.id.toLowerCase())) throw new TypeError(`event id appears twice in one append: ${event.id}`);
    ids.add(event.id.toLowerCase());
  }
}

/**
 * Every event carries who, why and when (DOMAIN.md, Audit). The types say
 * so; this says so to callers the types cannot reach.
 */
function assertMetadata(event: EventToAppend): void {
  const metadata: Partial<Record<keyof EventMetadata, unknown>> = event.metadata ?? {};
  const problems: string[] = [];
  for (const field of ['actorId', 'actorRole', 'correlationId'] as const) {
    if (typeof metadata[field] !== 'string' || metadata[field] === '') problems.push(`${field} must be a non-empty string`);
  }
  if (metadata.causationId !== null && (typeof metadata.causationId !== 'string' || metadata.causationId === '')) {
    problems.push('causationId must be a non-empty string or null');
  }
  if (typeof metadata.occurredAt !== 'string' || !ISO_UTC.test(metadata.occurredAt) || Number.isNaN(Date.parse(metadata.occurredAt))) {
    problems.push('occurredAt must be an ISO 8601 UTC time');
  }
  if (!Number.isInteger(metadata.schemaVersion) || (metadata.schemaVersion as number) < 1) problems.push('schemaVersion must be a whole number >= 1');
  if (problems.length > 0) throw new TypeError(`event ${event.id}: metadata ${problems.join('; ')}`);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** Event data nests a few levels; far deeper is a bug (or an attack) and would exhaust the stack while hashing. */
const MAX_JSON_DEPTH = 32;

/**
 * Data is hashed as canonical JSON and stored as jsonb: anything JSON cannot
 * say exactly (bigint, Date, undefined, NaN, class instances) would be
 * stored as something other than what was hashed, so it is refused.
 */
function assertJsonObject(value: unknown, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${where} must be a JSON object`);
  assertJsonValue(value, where, 0);
}

function assertJsonValue(value: unknown, where: string, depth: number): void {
  if (depth > MAX_JSON_DEPTH) throw new TypeError(`${where} nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${where} holds a non-finite number`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertJsonValue(item, `${where}[${index}]`, depth + 1));
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, item] of Object.entries(value)) assertJsonValue(item, `${where}.${key}`, depth + 1);
    return;
  }
  throw new TypeError(`${where} holds a ${typeof value === 'object' ? (value.constructor?.name ?? 'non-plain object') : typeof value}, which JSON cannot carry exactly (amounts are decimal strings)`);
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
