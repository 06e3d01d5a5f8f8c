/**
 * Pages of the global log shared by the subscriptions of one process.
 *
 * The API and the worker run every projection in one process, each reading
 * the whole log on its own. While they catch up together (a start, a
 * rebuild of all) they want the very same pages, and reading a page (the
 * server's output, the driver's parsing, decoding) costs about as much as
 * applying it: read three times, it was a third of the work.
 *
 * So the readers of one (store, page size, filter) that are behind travel
 * as a convoy over one run of pages:
 * - a page read by one is kept and handed to the others when they ask for
 *   the same position, until every member of the convoy has moved past it;
 * - the reader at the front, about to read a page that would put it more
 *   than `maxPagesAhead` pages ahead of the slowest member, waits for that
 *   member to move, but never longer than `maxWaitMs`: a member that does
 *   not move by then (stuck retrying a batch, stopped) drops out and reads
 *   on its own. So a fast projection waits for a slow one only while both
 *   are catching up, never at the head and never for a stalled one;
 * - a reader asking for a position that is not on the run reads on its own
 *   (a projection being rebuilt from the start while the others are live),
 *   holding nobody back and held back by nobody;
 * - a short page is the head: it is shared while it is being read, never
 *   kept (only a full page is final: the store returns only events that
 *   nothing can sort before any more).
 * Callers must not mutate the events.
 */
import { comparePositions, type EventStore, type LogFilter, type LogPosition, type RecordedEvent } from '#event-store';

export interface LogPageReader {
  /** The page of at most the convoy's page size after `after` (undefined: from the start). */
  read(after: LogPosition | undefined): Promise<RecordedEvent[]>;
  /** Leaves the convoy: the pages kept for this reader are let go. */
  leave(): void;
}

export interface LogConvoyOptions {
  /** How far (in pages) the front may run ahead of the slowest member; default 8 (memory: this many pages). */
  readonly maxPagesAhead?: number;
  /** The longest the front waits for the slowest member before that member drops out; default 2 s. */
  readonly maxWaitMs?: number;
  /**
   * How long a short page (the head) answers others asking for the same
   * position; default 50 ms, under the subscriptions' 100 ms poll. At the
   * head each subscription polls on its own: sharing what one just read
   * makes them converge on the same positions and read each new event once,
   * at the price of at most this much staleness per poll.
   */
  readonly headShareMs?: number;
}

interface KeptPage {
  /** Sequence number on the run. */
  readonly index: number;
  readonly after: LogPosition | undefined;
  readonly page: Promise<RecordedEvent[]>;
  /** Position of the last event once the page came back full; null while pending. */
  end: LogPosition | null;
}

const samePosition = (a: LogPosition | undefined, b: LogPosition | undefined): boolean =>
  a === undefined || b === undefined ? a === b : comparePositions(a, b) === 0;

export class LogConvoy {
  /** The run: consecutive pages, oldest first. */
  private run: KeptPage[] = [];
  private nextIndex = 0;
  /** Each member's place on the run: the index of the page it asked for last. */
  private readonly members = new Map<object, number>();
  private readonly moved = new Set<() => void>();
  private readonly maxPagesAhead: number;
  private readonly maxWaitMs: number;
  private readonly headShareMs: number;
  /** Reads in flight, and short pages read in the last headShareMs, by the position they follow. */
  private readonly recent = new Map<string, { readonly page: Promise<RecordedEvent[]>; readAt: number | null }>();

  constructor(
    private readonly store: EventStore,
    private readonly pageSize: number,
    private readonly filter: LogFilter | undefined,
    options: LogConvoyOptions = {},
  ) {
    this.maxPagesAhead = options.maxPagesAhead ?? 8;
    this.maxWaitMs = options.maxWaitMs ?? 2_000;
    this.headShareMs = options.headShareMs ?? 50;
  }

  join(): LogPageReader {
    const member = {};
    return {
      read: (after) => this.read(member, after),
      leave: () => {
        this.members.delete(member);
        this.trim();
        this.signalMove();
      },
    };
  }

  private async read(member: object, after: LogPosition | undefined): Promise<RecordedEvent[]> {
    const kept = this.run.find((page) => samePosition(page.after, after));
    if (kept !== undefined) return this.hand(member, kept);
    const last = this.run[this.run.length - 1];
    const extendsRun = last === undefined || (last.end !== null && samePosition(last.end, after));
    if (!extendsRun) {
      // Not on the run: read alone.
      this.members.delete(member);
      this.trim();
      return this.fetch(after);
    }
    await this.waitForSlowest(member);
    // Someone else may have read it meanwhile.
    const readMeanwhile = this.run.find((page) => samePosition(page.after, after));
    if (readMeanwhile !== undefined) return this.hand(member, readMeanwhile);
    const front = this.run[this.run.length - 1];
    if (front !== undefined && (front.end === null || !samePosition(front.end, after))) {
      // The run moved on while this member waited and is no longer where it reads: read alone.
      this.members.delete(member);
      return this.fetch(after);
    }
    const page = this.fetch(after);
    const entry: KeptPage = { index: this.nextIndex++, after, page, end: null };
    this.run.push(entry);
    page.then(
      (events) => {
        if (events.length === this.pageSize) entry.end = events[events.length - 1]!.position;
        else this.drop(entry);
      },
      () => this.drop(entry),
    );
    return this.hand(member, entry);
  }

  /** Reads the page after `after` from the store, unless the same read is in flight or came back short a moment ago. */
  private fetch(after: LogPosition | undefined): Promise<RecordedEvent[]> {
    const now = Date.now();
    for (const [key, read] of this.recent) if (read.readAt !== null && now - read.readAt > this.headShareMs) this.recent.delete(key);
    const key = after === undefined ? 'start' : `${after.commit}.${after.prepare}`;
    const shared = this.recent.get(key);
    if (shared !== undefined) return shared.page;
    const page = this.store.readAll({ after, maxCount: this.pageSize, filter: this.filter });
    const read = { page, readAt: null as number | null };
    this.recent.set(key, read);
    const forget = (): void => {
      if (this.recent.get(key) === read) this.recent.delete(key);
    };
    page.then((events) => {
      // A full page is final and kept on the run if anywhere; only the head is shared for a moment.
      if (events.length === this.pageSize) forget();
      else read.readAt = Date.now();
    }, forget);
    return page;
  }

  private hand(member: object, page: KeptPage): Promise<RecordedEvent[]> {
    this.members.set(member, page.index);
    this.trim();
    this.signalMove();
    return page.page;
  }

  /** Waits while the run holds maxPagesAhead pages after the slowest other member; drops members that do not move in time. */
  private async waitForSlowest(member: object): Promise<void> {
    const deadline = Date.now() + this.maxWaitMs;
    for (;;) {
      // Pages kept ahead of a member: short pages are not kept, so polling at the head never counts.
      const laggards = [...this.members].filter(
        ([other, index]) => other !== member && this.run.filter((page) => page.index > index).length >= this.maxPagesAhead,
      );
      if (laggards.length === 0) return;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        for (const [other] of laggards) this.members.delete(other);
        this.trim();
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.moved.add(done);
      });
    }
  }

  private signalMove(): void {
    const waiting = [...this.moved];
    this.moved.clear();
    for (const wake of waiting) wake();
  }

  /** A short page (the head) or a failed read: off the run, and so are the members it went to. */
  private drop(entry: KeptPage): void {
    this.run = this.run.filter((page) => page !== entry);
    for (const [member, index] of this.members) if (index === entry.index) this.members.delete(member);
    this.trim();
    this.signalMove();
  }

  /** Lets go of the pages every member has moved past. */
  private trim(): void {
    if (this.members.size === 0) {
      this.run = [];
      return;
    }
    const slowest = Math.min(...this.members.values());
    if (this.run.length > 0 && this.run[0]!.index < slowest) this.run = this.run.filter((page) => page.index >= slowest);
  }
}

const convoysByStore = new WeakMap<EventStore, Map<string, LogConvoy>>();

/** The convoy of this process's readers of `store` with this page size and filter. */
export function sharedLog(store: EventStore, pageSize: number, filter: LogFilter | undefined): LogConvoy {
  let convoys = convoysByStore.get(store);
  if (convoys === undefined) {
    convoys = new Map();
    convoysByStore.set(store, convoys);
  }
  const key = `${pageSize}|${filter === undefined ? '' : JSON.stringify(filter)}`;
  let convoy = convoys.get(key);
  if (convoy === undefined) {
    convoy = new LogConvoy(store, pageSize, filter);
    convoys.set(key, convoy);
  }
  return convoy;
}
