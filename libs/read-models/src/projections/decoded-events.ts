/**
 * Decoding a stored event once for every projection of the process: the
 * subscriptions share the pages of the log they read (shared-log-pages.ts),
 * so the deal view and the journal meet the same RecordedEvent objects and
 * the second decode of each is a lookup. Domain events are immutable values.
 */
import type { RecordedEvent } from '#event-store';

const decodedEvents = new WeakMap<RecordedEvent, { readonly decode: unknown; readonly event: unknown }>();

export function decodeOnce<Event>(recorded: RecordedEvent, decode: (stored: RecordedEvent) => Event): Event {
  const known = decodedEvents.get(recorded);
  if (known !== undefined && known.decode === decode) return known.event as Event;
  const event = decode(recorded);
  decodedEvents.set(recorded, { decode, event });
  return event;
}
