/**
 * The stored form of events: plain JSON with money as decimal strings of
 * cents and times as ISO 8601 UTC strings (shared/DOMAIN.md, "Money and
 * units"). The types mirror the event store's JSON types structurally, so an
 * encoded event can be appended as it is, without the domain importing the
 * store.
 *
 * Decoding reads what this module wrote. Anything else in a stream is
 * corrupt data, not a business rejection: it throws UndecodableEventError.
 */
import { type Cents, formatCents, parseCents } from './money.js';
import { invariant } from './invariant.js';

export type EventDataValue = string | number | boolean | null | EventDataValue[] | { [key: string]: EventDataValue };
export type EventData = { [key: string]: EventDataValue };

export interface EncodedEvent {
  readonly type: string;
  readonly data: EventData;
}

/** What a decoder accepts: an event as read back from a store, its data not yet trusted. */
export interface StoredEventInput {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
}

export class UndecodableEventError extends Error {
  constructor(
    readonly eventType: string,
    reason: string,
  ) {
    super(`cannot decode event ${eventType}: ${reason}`);
    this.name = 'UndecodableEventError';
  }
}

/** Exactly the form Date.prototype.toISOString writes for years 0000 to 9999. */
const ISO_TIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function centsData(cents: Cents): string {
  invariant(cents >= 0n, `an amount in an event must not be negative, got ${cents}`);
  return formatCents(cents);
}

export function timeData(time: Date): string {
  invariant(!Number.isNaN(time.getTime()), 'a time in an event must be a valid Date');
  return time.toISOString();
}

/** Reads the fields of one stored event's data, refusing anything this module would not have written. */
export class EventDataReader {
  constructor(
    private readonly eventType: string,
    private readonly data: Readonly<Record<string, unknown>>,
  ) {}

  static of(stored: StoredEventInput): EventDataReader {
    return new EventDataReader(stored.type, stored.data);
  }

  text(key: string): string {
    const value = this.field(key);
    if (typeof value !== 'string') throw this.refuse(key, 'a string');
    return value;
  }

  optionalText(key: string): string | undefined {
    return this.isAbsent(key) ? undefined : this.text(key);
  }

  cents(key: string): Cents {
    const text = this.text(key);
    try {
      return parseCents(text);
    } catch {
      throw this.refuse(key, 'a decimal string of cents');
    }
  }

  time(key: string): Date {
    const text = this.text(key);
    const time = new Date(text);
    if (!ISO_TIME_TEXT.test(text) || Number.isNaN(time.getTime()) || time.toISOString() !== text) {
      throw this.refuse(key, 'an ISO 8601 UTC time');
    }
    return time;
  }

  integer(key: string): number {
    const value = this.field(key);
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw this.refuse(key, 'a whole number');
    return value;
  }

  choice<Choice extends string>(key: string, choices: readonly Choice[]): Choice {
    const value = this.text(key);
    const found = choices.find((choice) => choice === value);
    if (found === undefined) throw this.refuse(key, `one of ${choices.join(', ')}`);
    return found;
  }

  object(key: string): EventDataReader {
    const value = this.field(key);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw this.refuse(key, 'an object');
    return new EventDataReader(`${this.eventType}.${key}`, value as Record<string, unknown>);
  }

  /** Whether an optional field is there (encoders leave absent fields out). */
  has(key: string): boolean {
    return !this.isAbsent(key);
  }

  private isAbsent(key: string): boolean {
    return !Object.hasOwn(this.data, key) || this.data[key] === undefined;
  }

  private field(key: string): unknown {
    if (!Object.hasOwn(this.data, key)) throw new UndecodableEventError(this.eventType, `missing field ${key}`);
    return this.data[key];
  }

  private refuse(key: string, expected: string): UndecodableEventError {
    return new UndecodableEventError(this.eventType, `field ${key} is not ${expected}`);
  }
}
