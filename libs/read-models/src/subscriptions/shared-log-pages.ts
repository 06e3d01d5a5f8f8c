/**
 * Pages of the global log shared by the subscriptions of one process.
 *
 * The API and the worker run every projection in one process, each reading
 * the whole log on its own: while they catch up together (a start, a
 * rebuild) they ask for the very same pages, and decoding a page costs more
 * than applying it. A page that came back full is final (the store returns
 * only events that nothing can sort before any more), so full pages are
 * kept, a few at a time, and handed to whoever asks for the same page; a
 * short page (the head) is never kept. Callers must not mutate the events.
 */
import type { EventStore, LogFilter, LogPosition, RecordedEvent } from '#event-store';

/** Pages kept per store: a few per subscription, bounded memory (pages x batch size events). */
const MAX_PAGES = 12;

const pagesByStore = new WeakMap<EventStore, Map<string, Promise<RecordedEvent[]>>>();

export function readLogPage(store: EventStore, after: LogPosition | undefined, maxCount: number, filter: LogFilter | undefined): Promise<RecordedEvent[]> {
  let pages = pagesByStore.get(store);
  if (pages === undefined) {
    pages = new Map();
    pagesByStore.set(store, pages);
  }
  const key = `${after === undefined ? 'start' : `${after.commit}.${after.prepare}`}|${maxCount}|${filter === undefined ? '' : JSON.stringify(filter)}`;
  const kept = pages.get(key);
  if (kept !== undefined) {
    // Most recently used last.
    pages.delete(key);
    pages.set(key, kept);
    return kept;
  }
  const page = store.readAll({ after, maxCount, filter });
  pages.set(key, page);
  while (pages.size > MAX_PAGES) pages.delete(pages.keys().next().value!);
  const shared = pages;
  page.then(
    (events) => {
      if (events.length < maxCount && shared.get(key) === page) shared.delete(key);
    },
    () => {
      if (shared.get(key) === page) shared.delete(key);
    },
  );
  return page;
}
