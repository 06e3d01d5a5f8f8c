import { once } from 'node:events';
import { createServer } from 'node:net';
import {
  NO_STREAM,
  UnavailableError,
  WrongExpectedVersionError,
  type EventData,
} from '@eventstore/db-client';
import { anEvent, describeEventStoreContract } from '../event-store.contract.js';
import { ConcurrencyError, DuplicateEventIdError, EventStoreUnavailableError } from '../event-store.errors.js';
import type { RecordedEvent } from '../event-store.port.js';
import { GENESIS_HASH, verifyChain } from '../hash-chain.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import {
  CHAIN_METADATA_KEY,
  buildAppendBatch,
  fromStoredMetadata,
  isConnectionFailure,
  isSystemEvent,
  isWrongExpectedVersion,
  matchStoredBatch,
  matchesLogFilter,
  toConcurrencyError,
  toEsdbExpectedRevision,
  toLogPosition,
  toRecordedEvent,
  toStoredMetadata,
  type EsdbRecordedEvent,
} from './eventstoredb-mapping.js';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING;
if (connectionString === undefined || connectionString === '') {
  console.warn(
    'EventStoreDB contract cases skipped: EVENTSTORE_CONNECTION_STRING is not set (e.g. esdb://localhost:2113?tls=false). ' +
      'The adapter unit tests in this file still run.',
  );
}
const describeWhenServer = connectionString ? describe : describe.skip;

describeWhenServer('EventStoreDbEventStore: the event store contract', () => {
  describeEventStoreContract({
    open: async () => EventStoreDbEventStore.fromConnectionString(connectionString!),
    // EventStoreDB keeps no index of event ids across streams (see the adapter's header).
    refusesIdsStoredInOtherStreams: false,
  });
});

/** What ESDB would hand back for appended events: JSON round-tripped, with a revision, a time and a position. */
function asStored(streamId: string, eventData: readonly EventData[], firstRevision: bigint): EsdbRecordedEvent[] {
  return eventData.map((data, index) => ({
    streamId,
    id: data.id,
    revision: firstRevision + BigInt(index),
    type: data.type,
    isJson: data.contentType === 'application/json',
    data: JSON.parse(JSON.stringify(data.data)) as unknown,
    metadata: JSON.parse(JSON.stringify(data.metadata)) as unknown,
    created: new Date('2026-11-23T10:00:01.000Z'),
    position: { commit: 1_000n + (firstRevision + BigInt(index)) * 100n, prepare: 1_000n + (firstRevision + BigInt(index)) * 100n },
  }));
}

describe('EventStoreDbEventStore: mapping to and from EventStoreDB (no server needed)', () => {
  const metadata = anEvent('X').metadata;

  describe('metadata', () => {
    it('stores the caller metadata with the chain link beside it, and splits them again on read', () => {
      const stored = toStoredMetadata(metadata, { prevHash: GENESIS_HASH, hash: 'ab'.repeat(32) });

      expect(stored).toEqual({ ...metadata, [CHAIN_METADATA_KEY]: { prevHash: GENESIS_HASH, hash: 'ab'.repeat(32) } });
      expect(fromStoredMetadata(JSON.parse(JSON.stringify(stored)))).toEqual({ metadata, prevHash: GENESIS_HASH, hash: 'ab'.repeat(32) });
    });

    it('reads an event written around the adapter with empty hashes, so chain verification names it', () => {
      expect(fromStoredMetadata({ ...metadata })).toEqual({ metadata, prevHash: '', hash: '' });
      expect(fromStoredMetadata({ ...metadata, [CHAIN_METADATA_KEY]: 'not a link' })).toEqual({ metadata, prevHash: '', hash: '' });
    });

    it('refuses metadata that is not a JSON object', () => {
      expect(() => fromStoredMetadata(undefined)).toThrow(TypeError);
      expect(() => fromStoredMetadata([1, 2])).toThrow(TypeError);
      expect(() => fromStoredMetadata(new Uint8Array([1]))).toThrow(TypeError);
    });
  });

  describe('expected revision', () => {
    it('maps no_stream to NO_STREAM and a revision to that exact revision', () => {
      expect(toEsdbExpectedRevision('no_stream')).toBe(NO_STREAM);
      expect(toEsdbExpectedRevision(0n)).toBe(0n);
      expect(toEsdbExpectedRevision(41n)).toBe(41n);
    });
  });

  describe('positions', () => {
    it('keeps commit and prepare positions as they are', () => {
      expect(toLogPosition({ commit: 18_446_744_073_709_551_000n, prepare: 7n })).toEqual({ commit: 18_446_744_073_709_551_000n, prepare: 7n });
    });

    it('refuses an event without a position (servers before 22.6 leave it out of stream reads)', () => {
      expect(() => toLogPosition(undefined)).toThrow(/22\.6/);
    });
  });

  describe('wrong expected version', () => {
    it('becomes a ConcurrencyError naming the revision the stream is at', () => {
      const refusal = new WrongExpectedVersionError(undefined, { streamName: 'deal-1', expected: 0n, current: 3n });

      const error = toConcurrencyError('deal-1', 0n, refusal);

      expect(isWrongExpectedVersion(refusal)).toBe(true);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({ code: 'CONCURRENCY_CONFLICT', streamId: 'deal-1', expected: 0n, actual: 3n });
    });

    it("names 'no_stream' when the stream does not exist", () => {
      const refusal = new WrongExpectedVersionError(undefined, { streamName: 'deal-2', expected: 4n, current: NO_STREAM });

      expect(toConcurrencyError('deal-2', 4n, refusal)).toMatchObject({ expected: 4n, actual: 'no_stream' });
    });

    it('is not mistaken for a connection failure, and a connection failure is not mistaken for it', () => {
      const refusal = new WrongExpectedVersionError(undefined, { streamName: 's', expected: 'no_stream', current: 0n });

      expect(isConnectionFailure(refusal)).toBe(false);
      expect(isWrongExpectedVersion(new UnavailableError())).toBe(false);
    });
  });

  describe('connection failures', () => {
    it('recognises the client errors and the raw gRPC statuses of an unreachable server', () => {
      const raw = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
      const deadline = Object.assign(new Error('4 DEADLINE_EXCEEDED'), { code: 4 });

      expect(isConnectionFailure(new UnavailableError())).toBe(true);
      expect(isConnectionFailure(raw)).toBe(true);
      expect(isConnectionFailure(deadline)).toBe(true);
      expect(isConnectionFailure(new Error('Failed to discover after 10 attempts.'))).toBe(true);
      expect(isConnectionFailure(new TypeError('not a ledger event'))).toBe(false);
      expect(isConnectionFailure('unavailable')).toBe(false);
    });
  });

  describe('appended events and the hash chain', () => {
    it('chains a first append from GENESIS_HASH and reads back exactly what was appended', () => {
      const streamId = 'listing-0f1e';
      const events = [anEvent('ListingSubmitted', { faceValueCents: '125000', tags: ['a'] }), anEvent('ListingVerified', { ok: true })];

      const { eventData, last } = buildAppendBatch(streamId, events, 'no_stream');
      const recorded = asStored(streamId, eventData, 0n).map(toRecordedEvent);

      expect(eventData.map((data) => [data.id, data.type, data.contentType])).toEqual(events.map((e) => [e.id, e.type, 'application/json']));
      expect(recorded.map(({ id, type, data, metadata: meta }) => ({ id, type, data, metadata: meta }))).toEqual(events);
      expect(recorded.map((event) => event.revision)).toEqual([0n, 1n]);
      expect(recorded[0]!.prevHash).toBe(GENESIS_HASH);
      expect(recorded[1]!.prevHash).toBe(recorded[0]!.hash);
      expect(last).toEqual({ revision: 1n, hash: recorded[1]!.hash });
      expect(verifyChain(recorded)).toEqual({ valid: true, events: 2 });
      expect(recorded[0]).toMatchObject({ streamId, recordedAt: new Date('2026-11-23T10:00:01.000Z'), position: { commit: 1_000n, prepare: 1_000n } });
    });

    it('continues the chain from the head it is given', () => {
      const streamId = 'deal-77';
      const first = buildAppendBatch(streamId, [anEvent('A'), anEvent('B')], 'no_stream');
      const second = buildAppendBatch(streamId, [anEvent('C')], first.last);

      const recorded = [...asStored(streamId, first.eventData, 0n), ...asStored(streamId, second.eventData, 2n)].map(toRecordedEvent);

      expect(recorded[2]!.prevHash).toBe(first.last.hash);
      expect(verifyChain(recorded)).toEqual({ valid: true, events: 3 });
    });

    it('sends ids in lower case, as EventStoreDB returns them, so stored events re-hash the same', () => {
      const event = { ...anEvent('A'), id: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' };

      const { eventData } = buildAppendBatch('s-1', [event], 'no_stream');

      expect(eventData[0]!.id).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
      expect(verifyChain(asStored('s-1', eventData, 0n).map(toRecordedEvent)).valid).toBe(true);
    });

    it('refuses a stored event that is not a JSON object', () => {
      const [stored] = asStored('s-2', buildAppendBatch('s-2', [anEvent('A')], 'no_stream').eventData, 0n);

      expect(() => toRecordedEvent({ ...stored!, isJson: false, data: new Uint8Array([1]) })).toThrow(/s-2 revision 0/);
      expect(() => toRecordedEvent({ ...stored!, data: [1, 2] })).toThrow(TypeError);
    });
  });

  describe('idempotent re-append', () => {
    const streamId = 'deal-9';
    const batch = [anEvent('B'), anEvent('C')];
    const stream: RecordedEvent[] = asStored(
      streamId,
      [...buildAppendBatch(streamId, [anEvent('A')], 'no_stream').eventData, ...buildAppendBatch(streamId, batch, { revision: 0n, hash: 'x' }).eventData],
      0n,
    ).map(toRecordedEvent);

    it('finds a batch stored as the same events at consecutive revisions, and names the last of them', () => {
      const match = matchStoredBatch(streamId, stream, batch);

      expect(match.kind).toBe('stored');
      expect(match.kind === 'stored' && match.last.revision).toBe(2n);
    });

    it('finds nothing when none of the ids is stored', () => {
      expect(matchStoredBatch(streamId, stream, [anEvent('D')])).toEqual({ kind: 'none' });
    });

    it('refuses ids stored only in part, in another order, or as another type', () => {
      const partial = matchStoredBatch(streamId, stream, [batch[0]!, anEvent('D')]);
      const reordered = matchStoredBatch(streamId, stream, [batch[1]!, batch[0]!]);
      const retyped = matchStoredBatch(streamId, stream, [{ ...batch[0]!, type: 'Other' }, batch[1]!]);

      for (const match of [partial, reordered, retyped]) {
        expect(match.kind).toBe('conflict');
        expect(match.kind === 'conflict' && match.error).toBeInstanceOf(DuplicateEventIdError);
      }
    });
  });

  describe('the global log', () => {
    it('leaves out EventStoreDB system events', () => {
      expect(isSystemEvent({ type: '$statsCollected' })).toBe(true);
      expect(isSystemEvent({ type: '$>' })).toBe(true);
      expect(isSystemEvent({ type: 'DealOpened' })).toBe(false);
    });

    it('filters by stream prefix and exact event type, and passes everything without a filter', () => {
      const event = { streamId: 'deal-42', type: 'DealOpened' };

      expect(matchesLogFilter(event, undefined)).toBe(true);
      expect(matchesLogFilter(event, { streamPrefixes: [], eventTypes: [] })).toBe(true);
      expect(matchesLogFilter(event, { streamPrefixes: ['listing-', 'deal-'] })).toBe(true);
      expect(matchesLogFilter(event, { streamPrefixes: ['listing-'] })).toBe(false);
      expect(matchesLogFilter(event, { eventTypes: ['DealOpened'] })).toBe(true);
      expect(matchesLogFilter(event, { eventTypes: ['DealOpen'] })).toBe(false);
      expect(matchesLogFilter(event, { streamPrefixes: ['deal-'], eventTypes: ['DealClosed'] })).toBe(false);
    });
  });
});

describe('EventStoreDbEventStore: an unreachable server', () => {
  let store: EventStoreDbEventStore;

  beforeAll(async () => {
    // A port that was just free: nothing listens there, so every call is refused at once.
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.close();
    await once(server, 'close');
    store = EventStoreDbEventStore.fromConnectionString(`esdb://127.0.0.1:${port}?tls=false&defaultDeadline=5000`);
  });

  afterAll(async () => {
    await store?.close();
  });

  it('fails every call with EventStoreUnavailableError', async () => {
    await expect(store.ping()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.append('deal-1', [anEvent('A')], 'no_stream')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.append('deal-1', [anEvent('A')], 3n)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.append('deal-1', [anEvent('A')], 'any')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream('deal-1')).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readAll({ filter: { streamPrefixes: ['deal-'] } })).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('validates an append like the PostgreSQL store before contacting the server', async () => {
    await expect(store.append('deal-1', [], 'no_stream')).rejects.toThrow(RangeError);
    await expect(store.append('', [anEvent('A')], 'no_stream')).rejects.toThrow(RangeError);
    await expect(store.append('deal-1', [{ ...anEvent('A'), id: 'not-a-uuid' }], 'no_stream')).rejects.toThrow(TypeError);
    const twice = anEvent('A');
    await expect(store.append('deal-1', [twice, twice], 'no_stream')).rejects.toThrow(TypeError);
    await expect(store.append('deal-1', [anEvent('A')], -1n)).rejects.toThrow(RangeError);
    await expect(store.readStream('deal-1', { maxCount: 0 })).rejects.toThrow(RangeError);
  });
});
