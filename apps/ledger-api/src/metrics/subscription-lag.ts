/**
 * How far each background subscription is behind the log, in events.
 *
 * Definition: lag = the number of events after the subscription's stored
 * checkpoint (subscription_checkpoints, the truth across every instance,
 * leader or standby) that the subscription will handle, i.e. that match its
 * filter, counted among at most LAG_WINDOW_EVENTS events of the log after
 * the checkpoint. `capped` says the window was full: the lag is then a lower
 * bound (for an unfiltered projection: "1,000 or more"). Only events a reader
 * can see now count (the store's readAll never shows an event while an
 * earlier one may still commit), so a caught-up projection is exactly 0.
 *
 * Cost: one headPosition() per measurement; a subscription whose checkpoint
 * is the head costs nothing more; any other one read (ids and payloads of)
 * at most LAG_WINDOW_EVENTS events. A filtered subscription's checkpoint
 * stays on its last matching event, so it usually pays the read: hence the
 * cache, LAG_CACHE_MS, shared by /metrics and /health/ready, and one
 * measurement in flight at a time.
 */
import { comparePositions, type EventStore, type LogFilter, type LogPosition, type RecordedEvent } from '#event-store';
import type { CheckpointReader } from '#read-models';

export const LAG_WINDOW_EVENTS = 1_000;
export const LAG_CACHE_MS = 1_000;
/** A measurement that takes longer is abandoned: health and metrics answer without lag. */
export const LAG_TIMEOUT_MS = 1_500;

export interface SubscriptionLag {
  readonly name: string;
  /** The stored checkpoint; null before the first batch. */
  readonly checkpoint: LogPosition | null;
  readonly lagEvents: number;
  /** The window was full: lagEvents is a lower bound. */
  readonly capped: boolean;
}

export interface LagMeasurement {
  /** The log's head; null for an empty log. */
  readonly head: LogPosition | null;
  readonly subscriptions: ReadonlyMap<string, SubscriptionLag>;
}

/** The subscriptions this process hosts, by name, with the filter each reads the log through. */
export type SubscriptionFilters = ReadonlyMap<string, LogFilter | undefined>;

/** Dependency-injection token of the SubscriptionLagProbe (absent: no lag reported). */
export const SUBSCRIPTION_LAG = Symbol('SUBSCRIPTION_LAG');

/** The store's own filter semantics (postgres-event-store.ts): every given list must match; an empty list matches all. */
export function matchesLogFilter(event: Pick<RecordedEvent, 'streamId' | 'type'>, filter: LogFilter | undefined): boolean {
  if (filter === undefined) return true;
  const prefixes = filter.streamPrefixes ?? [];
  const types = filter.eventTypes ?? [];
  return (prefixes.length === 0 || prefixes.some((prefix) => event.streamId.startsWith(prefix))) && (types.length === 0 || types.includes(event.type));
}

/** Counts the events of `after` (the window read after a checkpoint) the subscription will handle. */
export function lagOf(window: readonly Pick<RecordedEvent, 'streamId' | 'type'>[], filter: LogFilter | undefined, windowSize: number): { lagEvents: number; capped: boolean } {
  return { lagEvents: window.filter((event) => matchesLogFilter(event, filter)).length, capped: window.length >= windowSize };
}

export class SubscriptionLagProbe {
  private cached: { at: number; value: LagMeasurement } | null = null;
  private inFlight: Promise<LagMeasurement> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly readCheckpoints: CheckpointReader,
    private readonly filters: SubscriptionFilters,
    private readonly now: () => number = Date.now,
  ) {}

  /** The latest measurement, at most LAG_CACHE_MS old; null when the store or the database does not answer in time. */
  async measure(): Promise<LagMeasurement | null> {
    if (this.cached !== null && this.now() - this.cached.at < LAG_CACHE_MS) return this.cached.value;
    this.inFlight ??= this.measureNow().finally(() => {
      this.inFlight = null;
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const value = await Promise.race([
        this.inFlight,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('lag measurement timed out')), LAG_TIMEOUT_MS);
        }),
      ]);
      this.cached = { at: this.now(), value };
      return value;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private async measureNow(): Promise<LagMeasurement> {
    const names = [...this.filters.keys()];
    const [head, checkpoints] = await Promise.all([this.store.headPosition(), this.readCheckpoints(names)]);
    const subscriptions = new Map<string, SubscriptionLag>();
    await Promise.all(
      names.map(async (name) => {
        const checkpoint = checkpoints.get(name) ?? null;
        if (head === null || (checkpoint !== null && comparePositions(checkpoint, head) >= 0)) {
          subscriptions.set(name, { name, checkpoint, lagEvents: 0, capped: false });
          return;
        }
        const window = await this.store.readAll({ after: checkpoint ?? undefined, maxCount: LAG_WINDOW_EVENTS });
        subscriptions.set(name, { name, checkpoint, ...lagOf(window, this.filters.get(name), LAG_WINDOW_EVENTS) });
      }),
    );
    return { head, subscriptions };
  }
}
