import type { EventStore, LogPosition, RecordedEvent } from '#event-store';
import { LAG_CACHE_MS, LAG_WINDOW_EVENTS, SubscriptionLagProbe, lagOf, matchesLogFilter } from './subscription-lag.js';

const at = (prepare: number): LogPosition => ({ commit: 1n, prepare: BigInt(prepare) });
const event = (prepare: number, streamId: string, type: string) => ({ streamId, type, position: at(prepare) }) as unknown as RecordedEvent;

describe('subscription lag', () => {
  it('matches a log filter as the store does: every given list must match, an empty or absent one matches all', () => {
    const reserved = { streamId: 'listing-1', type: 'ListingReserved' };
    expect(matchesLogFilter(reserved, undefined)).toBe(true);
    expect(matchesLogFilter(reserved, { eventTypes: [] })).toBe(true);
    expect(matchesLogFilter(reserved, { eventTypes: ['ListingReserved'] })).toBe(true);
    expect(matchesLogFilter(reserved, { eventTypes: ['DealSettled'] })).toBe(false);
    expect(matchesLogFilter(reserved, { streamPrefixes: ['deal-'], eventTypes: ['ListingReserved'] })).toBe(false);
    expect(matchesLogFilter(reserved, { streamPrefixes: ['deal-', 'listing-'], eventTypes: ['ListingReserved'] })).toBe(true);
  });

  it('counts the events of the window the subscription will handle, and says when the window was full', () => {
    const window = [event(1, 'listing-1', 'ListingSubmitted'), event(2, 'listing-1', 'ListingReserved'), event(3, 'deal-1', 'DealOpened')];
    expect(lagOf(window, undefined, 10)).toEqual({ lagEvents: 3, capped: false });
    expect(lagOf(window, { eventTypes: ['ListingReserved'] }, 10)).toEqual({ lagEvents: 1, capped: false });
    expect(lagOf(window, undefined, 3)).toEqual({ lagEvents: 3, capped: true });
  });

  it('measures against the stored checkpoints, reads nothing for a caught-up subscription, and caches for a moment', async () => {
    const log = [event(1, 'listing-1', 'ListingSubmitted'), event(2, 'listing-1', 'ListingReserved'), event(3, 'deal-1', 'DealOpened')];
    const reads: Array<LogPosition | undefined> = [];
    const store = {
      headPosition: async () => at(3),
      readAll: async ({ after, maxCount }: { after?: LogPosition; maxCount: number }) => {
        reads.push(after);
        expect(maxCount).toBe(LAG_WINDOW_EVENTS);
        return log.filter((candidate) => after === undefined || candidate.position.prepare > after.prepare);
      },
    } as unknown as EventStore;
    let now = 0;
    const probe = new SubscriptionLagProbe(
      store,
      async () => new Map([['caught-up', at(3)], ['behind', at(1)], ['filtered', at(0)]]),
      new Map([
        ['caught-up', undefined],
        ['behind', undefined],
        ['filtered', { eventTypes: ['ListingReserved'] }],
        ['never-ran', undefined],
      ]),
      () => now,
    );

    const measured = await probe.measure();

    expect(measured?.head).toEqual(at(3));
    expect(Object.fromEntries([...measured!.subscriptions].map(([name, lag]) => [name, lag.lagEvents]))).toEqual({ 'caught-up': 0, behind: 2, filtered: 1, 'never-ran': 3 });
    expect(measured!.subscriptions.get('never-ran')!.checkpoint).toBeNull();
    expect(reads).toHaveLength(3);
    now += LAG_CACHE_MS - 1;
    expect(await probe.measure()).toBe(measured);
    now += 1;
    await probe.measure();
    expect(reads).toHaveLength(6);
  });

  it('answers null rather than failing when the store does not answer', async () => {
    const store = { headPosition: async () => Promise.reject(new Error('store closed')) } as unknown as EventStore;
    const probe = new SubscriptionLagProbe(store, async () => new Map(), new Map([['x', undefined]]));
    expect(await probe.measure()).toBeNull();
  });
});
