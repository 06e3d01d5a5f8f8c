/**
 * The global log read page by page for audit work (export, verification):
 * one page of events in memory at a time, however long the log.
 */
import { MAX_READ_COUNT, type EventStore, type LogPosition, type RecordedEvent } from '#event-store';

/**
 * Events per page of an audit walk: large enough that a round trip per page
 * is cheap next to encoding it, small enough that a page of large events
 * stays a few megabytes (and never more than the store's MAX_READ_COUNT).
 */
export const AUDIT_PAGE_SIZE = 500;

export interface AuditLogPagesOptions {
  /** Start strictly after this position; default the start of the log. */
  readonly after?: LogPosition;
  /** Events per read, at most MAX_READ_COUNT; default AUDIT_PAGE_SIZE. */
  readonly pageSize?: number;
}

/**
 * Yields the log as it stands when each page is read, and ends at the first
 * short page: events committed later belong to a later walk.
 */
export async function* readAuditLogPages(store: EventStore, options: AuditLogPagesOptions = {}): AsyncGenerator<RecordedEvent[]> {
  const pageSize = Math.min(options.pageSize ?? AUDIT_PAGE_SIZE, MAX_READ_COUNT);
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`audit page size must be a positive integer, got ${pageSize}`);
  let after = options.after;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.position;
  }
}
