/**
 * A deal's timeline for compliance: the deal's own facts and the facts of
 * its listing that name the deal (reservation, release, sale), merged in
 * global log order so cause comes before effect across the two streams.
 *
 * Listing facts that do not name the deal (submission, verification,
 * repricing) are left out: they concern every deal of the listing, and the
 * listing's own stream history answers for them.
 */
import { dealStreamId, listingStreamId } from '#domain';
import { comparePositions, MAX_READ_COUNT, type EventStore, type RecordedEvent } from '#event-store';
import { toAuditEvent, type AuditEvent } from './audit-event.js';

export interface DealTimeline {
  readonly dealId: string;
  readonly listingId: string | null;
  readonly items: readonly AuditEvent[];
}

export function namesDeal(event: RecordedEvent, dealId: string): boolean {
  return event.data['dealId'] === dealId;
}

/** The listing a deal was opened on, from its DealOpened fact; null when there is none. */
export function listingIdOf(dealEvents: readonly RecordedEvent[]): string | null {
  const opened = dealEvents.find((event) => event.type === 'DealOpened');
  const listingId = opened?.data['listingId'];
  return typeof listingId === 'string' ? listingId : null;
}

export function mergeInLogOrder(...streams: ReadonlyArray<readonly RecordedEvent[]>): RecordedEvent[] {
  return streams.flat().sort((a, b) => comparePositions(a.position, b.position));
}

/** A whole stream, page by page, keeping only the events `keep` accepts. */
async function readStreamWhere(store: EventStore, streamId: string, keep: (event: RecordedEvent) => boolean): Promise<RecordedEvent[]> {
  const kept: RecordedEvent[] = [];
  let fromRevision = 0n;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision, maxCount: MAX_READ_COUNT });
    kept.push(...page.filter(keep));
    if (page.length < MAX_READ_COUNT) return kept;
    fromRevision = page[page.length - 1]!.revision + 1n;
  }
}

/** Null when the deal stream has no events. */
export async function readDealTimeline(store: EventStore, dealId: string): Promise<DealTimeline | null> {
  const dealEvents = await readStreamWhere(store, dealStreamId(dealId), () => true);
  if (dealEvents.length === 0) return null;
  const listingId = listingIdOf(dealEvents);
  const listingEvents = listingId === null ? [] : await readStreamWhere(store, listingStreamId(listingId), (event) => namesDeal(event, dealId));
  return { dealId, listingId, items: mergeInLogOrder(dealEvents, listingEvents).map(toAuditEvent) };
}
