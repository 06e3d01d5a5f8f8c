/**
 * The contract every EventStore adapter must meet. The PostgreSQL adapter
 * runs it always; the EventStoreDB adapter whenever a server is reachable.
 * Each case works on streams of its own, so the suite can share a store with
 * other tests.
 */
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, DuplicateEventIdError } from './event-store.errors.js';
import type { EventMetadata, EventStore, EventToAppend, JsonObject, RecordedEvent } from './event-store.port.js';
import { GENESIS_HASH, verifyChain } from './hash-chain.js';
import { readCatchUp } from './catch-up-reader.js';
import { comparePositions, type LogPosition } from './log-position.js';
import { verifyStoredStream } from './stream-verifier.js';

export interface EventStoreFixture {
  /** A store connected to the backend under test; the suite closes it. */
  open(): Promise<EventStore>;
  /**
   * Whether the store refuses an event id that is stored in another stream.
   * PostgreSQL does (a unique index); EventStoreDB keeps no index of ids and
   * cannot, so that one case is asked of the stores that claim it.
   */
  readonly refusesIdsStoredInOtherStreams: boolean;
}

const metadata = (overrides: Partial<EventMetadata> = {}): EventMetadata => ({
  actorId: 'broker-7',
  actorRole: 'broker',
  correlationId: randomUUID(),
  causationId: null,
  occurredAt: '2026-11-23T10:00:00.000Z',
  schemaVersion: 1,
  ...overrides,
});

export const anEvent = (type: string, data: JsonObject = {}, overrides: Partial<EventMetadata> = {}): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: metadata(overrides),
});

/** Appends happen on streams named `<category>-<uuid>`; a fresh category isolates a case in the global log. */
const freshCategory = (): string => `contract${randomUUID().replaceAll('-', '')}`;
const streamIn = (category: string): string => `${category}-${randomUUID()}`;

async function readAllOf(store: EventStore, category: string, after?: LogPosition): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, maxCount: 100, filter: { streamPrefixes: [`${category}-`] } });
    if (page.length === 0) return events;
    events.push(...page);
    after = page[page.length - 1]!.position;
  }
}

function expectStrictlyIncreasing(positions: readonly LogPosition[]): void {
  for (let index = 1; index < positions.length; index += 1) {
    expect(comparePositions(positions[index - 1]!, positions[index]!)).toBe(-1);
  }
}

async function expectConcurrencyError(append: Promise<unknown>, actual: bigint | 'no_stream'): Promise<void> {
  const error = await append.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConcurrencyError);
  expect((error as ConcurrencyError).code).toBe('CONCURRENCY_CONFLICT');
  expect((error as ConcurrencyError).actual).toBe(actual);
}

export function describeEventStoreContract(fixture: EventStoreFixture): void {
  let store: EventStore;

  beforeAll(async () => {
    store = await fixture.open();
  });

  afterAll(async () => {
    await store?.close();
  });

  describe('append and read a stream', () => {
    it('round-trips ids, types, data and metadata, and adds revision, position, time and hashes', async () => {
      const stream = streamIn(freshCategory());
      const submitted = anEvent('ListingSubmitted', { faceValueCents: '125000', provider: 'openai', tags: ['a', 'b'] });
      const verified = anEvent('ListingVerified', { verifiedFaceValueCents: '120000' }, { causationId: submitted.id });

      const result = await store.append(stream, [submitted, verified], 'no_stream');
      const events = await store.readStream(stream);

      expect(result.nextExpectedRevision).toBe(1n);
      expect(events.map(({ id, type, data, metadata: meta }) => ({ id, type, data, metadata: meta }))).toEqual([submitted, verified]);
      expect(events.map((event) => event.revision)).toEqual([0n, 1n]);
      expect(events.every((event) => event.streamId === stream)).toBe(true);
      expect(events.every((event) => event.recordedAt instanceof Date && !Number.isNaN(event.recordedAt.getTime()))).toBe(true);
      expectStrictlyIncreasing(events.map((event) => event.position));
      expect(comparePositions(events[1]!.position, result.position)).toBe(0);
      expect(events[0]!.prevHash).toBe(GENESIS_HASH);
      expect(events[1]!.prevHash).toBe(events[0]!.hash);
      expect(verifyChain(events)).toEqual({ valid: true, events: 2 });
    });

    it('continues a stream from the revision the caller expects', async () => {
      const stream = streamIn(freshCategory());
      const first = await store.append(stream, [anEvent('A')], 'no_stream');
      const second = await store.append(stream, [anEvent('B'), anEvent('C')], first.nextExpectedRevision);
      const third = await store.append(stream, [anEvent('D')], 'any');

      expect([first.nextExpectedRevision, second.nextExpectedRevision, third.nextExpectedRevision]).toEqual([0n, 2n, 3n]);
      const events = await store.readStream(stream);
      expect(events.map((event) => event.type)).toEqual(['A', 'B', 'C', 'D']);
      expect(verifyChain(events).valid).toBe(true);
    });

    it('reads a stream forwards from a revision, a bounded number of events', async () => {
      const stream = streamIn(freshCategory());
      await store.append(stream, ['E0', 'E1', 'E2', 'E3', 'E4'].map((type) => anEvent(type)), 'no_stream');

      const page = await store.readStream(stream, { fromRevision: 2n, maxCount: 2 });

      expect(page.map((event) => [event.revision, event.type])).toEqual([
        [2n, 'E2'],
        [3n, 'E3'],
      ]);
    });

    it('reads an unknown stream as empty', async () => {
      expect(await store.readStream(streamIn(freshCategory()))).toEqual([]);
    });
  });

  describe('optimistic concurrency', () => {
    it('refuses no_stream on a stream that exists, naming its revision', async () => {
      const stream = streamIn(freshCategory());
      await store.append(stream, [anEvent('A'), anEvent('B')], 'no_stream');

      await expectConcurrencyError(store.append(stream, [anEvent('C')], 'no_stream'), 1n);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('refuses a stale revision and writes nothing', async () => {
      const stream = streamIn(freshCategory());
      await store.append(stream, [anEvent('A')], 'no_stream');
      await store.append(stream, [anEvent('B')], 0n);

      await expectConcurrencyError(store.append(stream, [anEvent('C')], 0n), 1n);
      expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['A', 'B']);
    });

    it('refuses a revision the stream has not reached, and any revision on a missing stream', async () => {
      const stream = streamIn(freshCategory());
      await store.append(stream, [anEvent('A')], 'no_stream');

      await expectConcurrencyError(store.append(stream, [anEvent('B')], 5n), 0n);
      await expectConcurrencyError(store.append(streamIn(freshCategory()), [anEvent('B')], 0n), 'no_stream');
    });

    it('lets exactly one of 50 concurrent appenders with the same expected revision win', async () => {
      const stream = streamIn(freshCategory());
      await store.append(stream, [anEvent('Opened')], 'no_stream');

      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) => store.append(stream, [anEvent('Raced', { contender: index })], 0n)),
      );

      const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const losers = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(49);
      expect(losers.every((loser) => loser.reason instanceof ConcurrencyError)).toBe(true);
      const events = await store.readStream(stream);
      expect(events.map((event) => event.type)).toEqual(['Opened', 'Raced']);
      expect(verifyChain(events).valid).toBe(true);
    });

    it('serialises concurrent appenders that expect any revision into one unbroken chain', async () => {
      const stream = streamIn(freshCategory());
      await Promise.all(Array.from({ length: 20 }, (_, index) => store.append(stream, [anEvent('Any', { index })], 'any')));

      const events = await store.readStream(stream);
      expect(events).toHaveLength(20);
      expect(verifyChain(events).valid).toBe(true);
    });
  });

  describe('idempotent re-append', () => {
    it('returns the original result for events already stored, and stores nothing twice', async () => {
      const stream = streamIn(freshCategory());
      await store.append(stream, [anEvent('A')], 'no_stream');
      const batch = [anEvent('B'), anEvent('C')];
      const original = await store.append(stream, batch, 0n);
      await store.append(stream, [anEvent('D')], original.nextExpectedRevision);

      const again = await store.append(stream, batch, 0n);
      const againAny = await store.append(stream, batch, 'any');
      const againFirst = await store.append(stream, batch, 'no_stream');

      for (const result of [again, againAny, againFirst]) {
        expect(result.nextExpectedRevision).toBe(original.nextExpectedRevision);
        expect(comparePositions(result.position, original.position)).toBe(0);
      }
      expect((await store.readStream(stream)).map((event) => event.type)).toEqual(['A', 'B', 'C', 'D']);
    });

    it('refuses a batch that repeats part of a stored append', async () => {
      const stream = streamIn(freshCategory());
      const stored = anEvent('A');
      await store.append(stream, [stored], 'no_stream');

      await expect(store.append(stream, [stored, anEvent('B')], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(store.append(stream, [anEvent('B'), stored], 0n)).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store.readStream(stream)).toHaveLength(1);
    });

    it('treats an id in upper case as the same id', async () => {
      const stream = streamIn(freshCategory());
      const event = { ...anEvent('A'), id: randomUUID().toUpperCase() };

      const first = await store.append(stream, [event], 'no_stream');
      const again = await store.append(stream, [{ ...event, id: event.id.toLowerCase() }], 'no_stream');
      const events = await store.readStream(stream);

      expect(comparePositions(again.position, first.position)).toBe(0);
      expect(events.map((stored) => stored.id)).toEqual([event.id.toLowerCase()]);
      expect(verifyChain(events).valid).toBe(true);
    });

    if (fixture.refusesIdsStoredInOtherStreams) {
      it('refuses an id that is stored in another stream', async () => {
        const stored = anEvent('A');
        await store.append(streamIn(freshCategory()), [stored], 'no_stream');
        const other = streamIn(freshCategory());

        await expect(store.append(other, [stored], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(other)).toEqual([]);
      });
    }
  });

  describe('the global log', () => {
    it('returns every event once, in position order, each stream in revision order, filtered by stream and type', async () => {
      const category = freshCategory();
      const listing = streamIn(category);
      const deal = streamIn(category);
      await store.append(listing, [anEvent('ListingSubmitted'), anEvent('ListingVerified')], 'no_stream');
      await store.append(deal, [anEvent('DealOpened')], 'no_stream');
      await store.append(listing, [anEvent('ListingReserved')], 1n);

      const all = await readAllOf(store, category);
      const reservedOnly = await store.readAll({ filter: { streamPrefixes: [`${category}-`], eventTypes: ['ListingReserved'] } });

      expect(all.map((event) => event.type)).toEqual(['ListingSubmitted', 'ListingVerified', 'DealOpened', 'ListingReserved']);
      expectStrictlyIncreasing(all.map((event) => event.position));
      expect(reservedOnly.map((event) => event.streamId)).toEqual([listing]);
      expect(await store.headPosition()).not.toBeNull();
      expect(comparePositions((await store.headPosition())!, all[3]!.position)).toBeGreaterThanOrEqual(0);
    });

    it('resumes strictly after a stored position', async () => {
      const category = freshCategory();
      const stream = streamIn(category);
      await store.append(stream, ['E0', 'E1', 'E2', 'E3', 'E4', 'E5'].map((type) => anEvent(type)), 'no_stream');

      const firstPage = await store.readAll({ maxCount: 2, filter: { streamPrefixes: [`${category}-`] } });
      const rest = await readAllOf(store, category, firstPage[1]!.position);

      expect(firstPage.map((event) => event.type)).toEqual(['E0', 'E1']);
      expect(rest.map((event) => event.type)).toEqual(['E2', 'E3', 'E4', 'E5']);
    });

    it('delivers every event written by concurrent appenders to a catch-up reader running meanwhile, once and in order', async () => {
      const category = freshCategory();
      const writers = 8;
      const appendsPerWriter = 25;
      const controller = new AbortController();
      const delivered: RecordedEvent[] = [];
      const expectedCount = writers * appendsPerWriter;
      const reading = (async () => {
        for await (const batch of readCatchUp(store, {
          filter: { streamPrefixes: [`${category}-`] },
          batchSize: 7,
          pollIntervalMs: 5,
          signal: controller.signal,
        })) {
          delivered.push(...batch);
          if (delivered.length >= expectedCount) controller.abort();
        }
      })();

      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let index = 0; index < appendsPerWriter; index += 1) {
            // Writers share a few streams so some appends conflict and retry, as in production.
            await store.append(`${category}-${writer % 3}`, [anEvent('Written', { writer, index })], 'any');
          }
        }),
      );
      const timeout = setTimeout(() => controller.abort(), 20_000);
      await reading;
      clearTimeout(timeout);

      expect(delivered).toHaveLength(expectedCount);
      expect(new Set(delivered.map((event) => event.id)).size).toBe(expectedCount);
      expectStrictlyIncreasing(delivered.map((event) => event.position));
      for (const stream of new Set(delivered.map((event) => event.streamId))) {
        const revisions = delivered.filter((event) => event.streamId === stream).map((event) => event.revision);
        expect(revisions).toEqual(revisions.map((_, index) => BigInt(index)));
      }
    });
  });

  describe('hash chain', () => {
    it('verifies a stored stream and names the first revision of a tampered copy', async () => {
      const stream = streamIn(freshCategory());
      await store.append(stream, ['A', 'B', 'C', 'D'].map((type) => anEvent(type, { amountCents: '100' })), 'no_stream');
      const events = await store.readStream(stream);

      const tamperedData = events.map((event) => (event.revision === 2n ? { ...event, data: { amountCents: '999' } } : event));
      const tamperedMetadata = events.map((event) =>
        event.revision === 1n ? { ...event, metadata: { ...event.metadata, actorId: 'someone-else' } } : event,
      );
      const dropped = events.filter((event) => event.revision !== 1n);

      expect(await verifyStoredStream(store, stream)).toEqual({ valid: true, events: 4 });
      expect(verifyChain(tamperedData)).toMatchObject({ valid: false, brokenAt: 2n, reason: 'hash_mismatch' });
      expect(verifyChain(tamperedMetadata)).toMatchObject({ valid: false, brokenAt: 1n });
      expect(verifyChain(dropped)).toMatchObject({ valid: false, brokenAt: 1n, reason: 'revision_gap' });
    });
  });
}
