import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ConcurrencyError, PostgresEventStore, eventStoreMigrations } from '#event-store';
import { createTestDatabase, type TestDatabase } from '#testing';
import type { CommandContext } from './command-context.js';
import { derivedId } from './derived-id.js';
import { KeyedQueue } from './keyed-queue.js';
import { runStreamCommand } from './run-stream-command.js';
import type { StreamDecider } from './stream-decider.js';

/** A stand-in decider: a tally that refuses to go above a cap, enough to exercise read-decide-append. */
type Tally = { total: bigint };
type Add = { amount: bigint; cap: bigint };
type Added = { type: 'Added'; amount: bigint };

const tally: StreamDecider<Tally, Add, Added> = {
  initialState: { total: 0n },
  decide: (state, command) => {
    if (command.amount === 0n) return [];
    if (state.total + command.amount > command.cap) throw Object.assign(new Error('over the cap'), { code: 'OVER_CAP' });
    return [{ type: 'Added', amount: command.amount }];
  },
  evolve: (state, event) => ({ total: state.total + event.amount }),
  encode: (event) => ({ type: event.type, data: { amount: event.amount.toString() } }),
  decode: (stored) => ({ type: 'Added', amount: BigInt(stored.data.amount as string) }),
};

const correlationId = randomUUID();
/** Each call is its own command message, as each HTTP request is. */
const newContext = (): CommandContext => ({ actorId: 'broker-7', actorRole: 'broker', correlationId, causationId: randomUUID() });
const now = () => new Date('2026-11-23T10:00:00.000Z');

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase(eventStoreMigrations);
  store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 10 }));
});

afterAll(async () => {
  await store?.close();
  await database?.drop();
});

const add = (streamId: string, amount: bigint, options: { cap?: bigint; expectedRevision?: bigint; queue?: KeyedQueue; context?: CommandContext } = {}) =>
  runStreamCommand({
    store,
    streamId,
    decider: tally,
    command: { amount, cap: options.cap ?? 1_000n },
    context: options.context ?? newContext(),
    now,
    expectedRevision: options.expectedRevision,
    queue: options.queue,
  });

describe('runStreamCommand', () => {
  it('folds the stream, decides, and appends with the metadata of the request', async () => {
    const streamId = `tally-${randomUUID()}`;
    await add(streamId, 5n);
    const context = newContext();
    const result = await add(streamId, 7n, { context });

    expect(result.state).toEqual({ total: 12n });
    expect(result.streamRevision).toBe(1n);
    const stored = await store.readStream(streamId);
    expect(stored[1]!.metadata).toEqual({ ...context, occurredAt: '2026-11-23T10:00:00.000Z', schemaVersion: 1 });
  });

  it('writes nothing when the decider decides nothing', async () => {
    const streamId = `tally-${randomUUID()}`;
    const result = await add(streamId, 0n);

    expect(result).toMatchObject({ events: [], streamRevision: null, position: null });
    expect(await store.readStream(streamId)).toEqual([]);
  });

  it('refuses a stale If-Match revision without retrying', async () => {
    const streamId = `tally-${randomUUID()}`;
    await add(streamId, 1n);
    await add(streamId, 1n);

    await expect(add(streamId, 1n, { expectedRevision: 0n })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await store.readStream(streamId)).toHaveLength(2);
  });

  it.each([
    ['commands of one process, which take turns', () => undefined],
    ['commands of separate processes, which race and re-decide', () => new KeyedQueue()],
  ])('keeps the cap with 10 concurrent %s', async (_, queueOfCaller) => {
    const streamId = `tally-${randomUUID()}`;
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => add(streamId, 10n, { cap: 50n, queue: queueOfCaller() })));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(5);
    const { total } = (await store.readStream(streamId)).reduce((state, event) => tally.evolve(state, tally.decode(event)), tally.initialState);
    expect(total).toBe(50n);
  });

  it('records the facts of one command message once, however often it runs', async () => {
    const streamId = `tally-${randomUUID()}`;
    const context = newContext();
    const first = await add(streamId, 3n, { context });
    const again = await add(streamId, 3n, { context });

    expect(await store.readStream(streamId)).toHaveLength(1);
    expect(again).toMatchObject({ state: { total: 3n }, events: [], streamRevision: 0n, position: first.position });
  });

  it('writes a fact once when a rerun derives the same event ids', async () => {
    const streamId = `tally-${randomUUID()}`;
    const cause = randomUUID();
    const run = () =>
      runStreamCommand({ store, streamId, decider: tally, command: { amount: 3n, cap: 100n }, context: newContext(), now, eventId: () => derivedId(cause, 'tally') });
    const first = await run();
    const again = await run();

    // The rerun decided against the new state, but its fact had the same id: the store kept the original.
    expect(await store.readStream(streamId)).toHaveLength(1);
    expect(again).toMatchObject({ state: { total: 3n }, events: [], streamRevision: 0n, position: first.position });
  });

  it('decides a stream its actor may not see as a stream with no events, and records nothing there', async () => {
    const hiddenStream = `tally-${randomUUID()}`;
    const missingStream = `tally-${randomUUID()}`;
    await add(hiddenStream, 900n);
    const onHidden = (amount: bigint, options: { cap?: bigint; expectedRevision?: bigint } = {}) =>
      runStreamCommand({ store, streamId: hiddenStream, decider: tally, command: { amount, cap: options.cap ?? 1_000n }, context: newContext(), now, expectedRevision: options.expectedRevision, visible: () => false });
    const outcome = (run: Promise<unknown>) => run.then(() => 'recorded', (error: Error & { code?: string; expected?: unknown; actual?: unknown }) => ({ code: error.code, expected: error.expected, actual: error.actual }));

    // The refusal and the If-Match conflict read as for a missing stream: nothing of the 900 already there shows.
    expect(await outcome(onHidden(200n, { cap: 100n }))).toEqual(await outcome(add(missingStream, 200n, { cap: 100n })));
    expect(await outcome(onHidden(1n, { expectedRevision: 0n }))).toEqual({ code: 'CONCURRENCY_CONFLICT', expected: 0n, actual: 'no_stream' });
    expect(await outcome(onHidden(1n, { expectedRevision: 0n }))).toEqual(await outcome(add(missingStream, 1n, { expectedRevision: 0n })));
    // A decider that would record on the hidden stream is a programmer error, and writes nothing.
    await expect(onHidden(50n)).rejects.toThrow(/hidden from its actor/);
    expect((await store.readStream(hiddenStream)).map((event) => tally.decode(event).amount)).toEqual([900n]);
  });
});
