/**
 * The deadline enforcer against a real PostgreSQL: the deadlines projection
 * feeds it, the CommandBus carries its expiry commands to the streams'
 * handlers, and the reservation process manager and the journal follow, all
 * on an injected clock that the tests move.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import pg from 'pg';
import {
  buyRequestStreamId,
  dealStreamId,
  listingStreamId,
  matchableUntil,
  type BuyRequestCommand,
  type DealCommand,
  type ListingCommand,
} from '#domain';
import { PostgresEventStore, type EventStore, type EventToAppend, type LogFilter, type RecordedEvent } from '#event-store';
import {
  DurableSubscription,
  buyRequestViewProjection,
  dealViewProjection,
  journalProjection,
  ledgerMigrations,
  listingViewProjection,
  postgresDueDeadlines,
  type LogSubscriber,
} from '#read-models';
import { createTestDatabase, decideEvents, type EncodingDecider, type TestDatabase } from '#testing';
import type { CommandOutcome } from '../command-outcome.js';
import { ExecuteDealCommand } from '../deals/execute-deal-command.js';
import { ReservationProcessManager } from '../deals/reservation-process-manager.js';
import { createLedgerDeciders, type Clock } from '../ledger-command-settings.js';
import { LedgerCommandsModule } from '../ledger-commands.module.js';
import { ExecuteListingCommand } from '../listings/execute-listing-command.js';
import { ExecuteBuyRequestCommand } from '../buy-requests/execute-buy-request-command.js';
import { KeyedQueue } from '../stream/keyed-queue.js';
import { runStreamCommand } from '../stream/run-stream-command.js';
import { derivedId } from '../stream/derived-id.js';
import type { CommandContext } from '../stream/command-context.js';
import type { StreamDecider } from '../stream/stream-decider.js';
import { DeadlineEnforcer, type DueDeadlineSource, type ExpiryCommandBus, type ExpiryOutcome } from './deadline-enforcer.js';
import { DEADLINE_ENFORCER, expiryContext, type DueDeadline } from './expiry-command.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const T0 = new Date('2026-11-23T10:00:00.000Z');
/** The ledger's defaults (LEDGER_EXPIRY_MARGIN_MS, LEDGER_APPROVAL_WINDOW_MS). */
const POLICIES = { expiryMarginMs: 72 * HOUR_MS, approvalWindowMs: 48 * HOUR_MS } as const;
const LISTING_POLICY = { expiryMarginMs: POLICIES.expiryMarginMs };
const deciders = createLedgerDeciders(POLICIES);

let database: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;
/** The clock every decision of the tests reads: moved by the tests. */
let now = T0;
const clock: Clock = () => now;
let context: INestApplicationContext;
let commandBus: CommandBus;
let projectors: DurableSubscription[];

beforeAll(async () => {
  database = await createTestDatabase(ledgerMigrations);
  pool = new pg.Pool({ connectionString: database.url, max: 10 });
  // Dropping the test database ends any connection still idle in a pool: that must not crash the run.
  pool.on('error', () => undefined);
  store = new PostgresEventStore(new pg.Pool({ connectionString: database.url, max: 20 }), { onIdleConnectionError: () => undefined });
  context = await NestFactory.createApplicationContext(LedgerCommandsModule.register({ store, clock, ...POLICIES }), { logger: false });
  commandBus = context.get(CommandBus);
  // The stream views, which keep the deadlines, run throughout, as in the API and the worker.
  projectors = [listingViewProjection(), dealViewProjection(), buyRequestViewProjection()].map(subscribe);
});

afterAll(async () => {
  await Promise.all((projectors ?? []).map((projector) => projector.stop()));
  await context?.close();
  await pool?.end();
  await store?.close();
  await database?.drop();
});

const metadata = (): EventToAppend['metadata'] => ({ actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: null, occurredAt: T0.toISOString(), schemaVersion: 1 });

/** Seeds a stream with what the write side would have recorded for `commands` at `at`. */
async function seed<State, Command, Event>(decider: EncodingDecider<State, Command, Event>, streamId: string, commands: readonly Command[], at = T0): Promise<void> {
  const { events } = decideEvents(decider, commands, at, metadata);
  await store.append(streamId, events, 'no_stream');
}

/** The log filter of each subscription started here (the process manager reads only its own events). */
const filters = new WeakMap<DurableSubscription, LogFilter | undefined>();

function subscribe(subscriber: LogSubscriber): DurableSubscription {
  const subscription = new DurableSubscription(pool, store, subscriber, { pollIntervalMs: 10 });
  filters.set(subscription, subscriber.filter);
  subscription.start();
  return subscription;
}

/** Waits until nothing in the log after each subscription's position is for it, twice in a row (what it writes may be for the others). */
async function caughtUp(subscriptions: readonly DurableSubscription[] = projectors, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  for (;;) {
    const behind: string[] = [];
    for (const subscription of subscriptions) {
      const { name, position, state, error } = subscription.status();
      if (state === 'failed') throw new Error(`${name} failed: ${error}`);
      const ahead = await store.readAll({ after: position ?? undefined, filter: filters.get(subscription), maxCount: 1 });
      if (ahead.length > 0) behind.push(name);
    }
    quiet = behind.length === 0 ? quiet + 1 : 0;
    if (quiet >= 2) return;
    if (Date.now() > deadline) throw new Error(`not caught up: ${behind.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function enforcer(options: { bus?: ExpiryCommandBus; source?: DueDeadlineSource; concurrency?: number; onOutcome?: (deadline: DueDeadline, outcome: ExpiryOutcome) => void; enforcerClock?: Clock } = {}): DeadlineEnforcer {
  return new DeadlineEnforcer({
    commandBus: options.bus ?? commandBus,
    source: options.source ?? postgresDueDeadlines(pool),
    clock: options.enforcerClock ?? clock,
    listingPolicy: LISTING_POLICY,
    pollIntervalMs: 20,
    concurrency: options.concurrency,
    onOutcome: options.onOutcome,
  });
}

async function eventsOf(streamId: string): Promise<RecordedEvent[]> {
  return store.readStream(streamId);
}

const typesOf = async (streamId: string): Promise<string[]> => (await eventsOf(streamId)).map((event) => event.type);

async function rowsOf(streamId: string): Promise<Array<{ kind: string; deadline_at: Date; expiry_key: string }>> {
  return (await pool.query<{ kind: string; deadline_at: Date; expiry_key: string }>('SELECT kind, deadline_at, expiry_key FROM deadlines WHERE stream_id = $1 ORDER BY kind', [streamId])).rows;
}

const match = (buyerId: string) => ({ buyerId, brokerId: 'broker-ana', commissionBps: 1_000, buyRequestId: null });

function listingCommands(listingId: string, sellerId: string, creditExpiresAt: Date, reservations: ReadonlyArray<{ dealId: string; buyerId: string; faceValueCents: bigint; priceCents: bigint }>): ListingCommand[] {
  return [
    { type: 'SubmitListing', submittedBy: 'broker-ana', listingId, sellerId, provider: 'openai', creditType: 'prepaid_api', providerOrgRef: 'org-1', currency: 'USD', claimedFaceValueCents: 1_000_000n, creditExpiresAt, askPriceCents: 600_000n },
    { type: 'VerifyListing', listingId, verifiedBy: 'ops', verifiedFaceValueCents: 900_000n, verifiedExpiresAt: creditExpiresAt, evidence: { method: 'console', reference: 't-1', checkedAt: T0 } },
    ...reservations.map((r): ListingCommand => ({ type: 'ReserveListing', listingId, dealId: r.dealId, faceValueCents: r.faceValueCents, priceCents: r.priceCents, match: match(r.buyerId) })),
  ];
}

function openDeal(dealId: string, listingId: string, sellerId: string, buyerId: string, faceValueCents: bigint, priceCents: bigint, creditExpiresAt: Date): DealCommand {
  return { type: 'OpenDeal', dealId, listingId, sellerId, buyerId, brokerId: 'broker-ana', currency: 'USD', faceValueCents, priceCents, commissionBps: 1_000, creditExpiresAt };
}

const approve = (dealId: string, party: 'seller' | 'buyer'): DealCommand => ({ type: 'ApproveDeal', dealId, party, termsVersion: 1, approvedBy: `${party}-contact` });

/** The ids the expiry facts of a deadline get: derived from its expiry key, whoever enforces it. */
function expectedEventId(streamId: string, expiryKey: string, index: number): string {
  return derivedId(expiryContext({ expiryKey }).causationId, `${streamId}#${index}`);
}

describe('the deadline enforcer: each deadline and each consequence', () => {
  let subscriptions: DurableSubscription[];

  beforeAll(() => {
    subscriptions = [new ReservationProcessManager({ store, deciders, clock }), journalProjection()].map(subscribe);
  });

  afterAll(async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  });

  it('expires a buy request, a deal awaiting approvals, a listing and a funded deal, each at its due time and not a millisecond before, with the consequences as facts', async () => {
    const [listingId, funded, awaiting, requestId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const sellerId = `seller-${listingId.slice(0, 8)}`;
    const buyerId = `buyer-${listingId.slice(0, 8)}`;
    const creditExpiry = new Date(T0.getTime() + 10 * DAY_MS);
    const requestDeadline = new Date(T0.getTime() + DAY_MS);
    const approvalDeadline = new Date(T0.getTime() + POLICIES.approvalWindowMs);
    const listingDue = matchableUntil(creditExpiry, LISTING_POLICY);
    now = T0;
    await seed(deciders.deal, dealStreamId(funded), [
      openDeal(funded, listingId, sellerId, buyerId, 200_000n, 120_000n, creditExpiry),
      approve(funded, 'seller'),
      approve(funded, 'buyer'),
      { type: 'ReceiveBuyerPayment', dealId: funded, amountCents: 120_000n, paymentRef: 'wire-1' },
    ]);
    await seed(deciders.deal, dealStreamId(awaiting), [openDeal(awaiting, listingId, sellerId, buyerId, 100_000n, 60_000n, creditExpiry), approve(awaiting, 'seller')]);
    // The deals first: the process manager would open a reserved deal it does not find.
    await seed(
      deciders.listing,
      listingStreamId(listingId),
      listingCommands(listingId, sellerId, creditExpiry, [
        { dealId: funded, buyerId, faceValueCents: 200_000n, priceCents: 120_000n },
        { dealId: awaiting, buyerId, faceValueCents: 100_000n, priceCents: 60_000n },
      ]),
    );
    const place: BuyRequestCommand = { type: 'PlaceBuyRequest', placedBy: 'broker-ana', buyRequestId: requestId, buyerId, provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: 500_000n, maxPriceBps: 7_000, minValidityDays: 5, deadline: requestDeadline };
    await seed(deciders.buyRequest, buyRequestStreamId(requestId), [place]);
    await caughtUp([...projectors, ...subscriptions]);
    const keys = new Map((await pool.query<{ stream_id: string; kind: string; expiry_key: string }>('SELECT stream_id, kind, expiry_key FROM deadlines')).rows.map((row) => [`${row.stream_id}/${row.kind}`, row.expiry_key]));
    const sweeper = enforcer();

    // 1. The buy request's deadline: a millisecond before, nothing is due; at it, BuyRequestExpired.
    now = new Date(requestDeadline.getTime() - 1);
    expect(await sweeper.sweep()).toMatchObject({ due: 0, recorded: 0 });
    now = requestDeadline;
    expect(await sweeper.sweep()).toMatchObject({ due: 1, recorded: 1, failed: 0 });
    const expiredRequest = (await eventsOf(buyRequestStreamId(requestId))).at(-1)!;
    expect(expiredRequest).toMatchObject({ type: 'BuyRequestExpired', metadata: { actorId: DEADLINE_ENFORCER, actorRole: 'system' } });
    expect(expiredRequest.id).toBe(expectedEventId(buyRequestStreamId(requestId), keys.get(`${buyRequestStreamId(requestId)}/buy_request_deadline`)!, 0));
    await caughtUp([...projectors, ...subscriptions]);
    expect(await rowsOf(buyRequestStreamId(requestId))).toEqual([]);

    // 2. The approval deadline of the deal only the seller approved: DealExpired, and the reservation goes back to the listing.
    now = new Date(approvalDeadline.getTime() - 1);
    expect(await sweeper.sweep()).toMatchObject({ due: 0 });
    now = approvalDeadline;
    expect(await sweeper.sweep()).toMatchObject({ due: 1, recorded: 1 });
    await caughtUp([...projectors, ...subscriptions]);
    expect(await typesOf(dealStreamId(awaiting))).toEqual(['DealOpened', 'DealApproved', 'DealExpired']);
    const released = (await eventsOf(listingStreamId(listingId))).at(-1)!;
    expect(released).toMatchObject({ type: 'ListingReservationReleased', data: { dealId: awaiting, faceValueCents: '100000', reason: 'deal_expired' } });
    expect(await rowsOf(dealStreamId(awaiting))).toEqual([]);

    // 3. The listing's matchable-until (credit expiry minus the margin): ListingExpired with its unsold 700,000, written off.
    now = new Date(listingDue.getTime() - 1);
    expect(await sweeper.sweep()).toMatchObject({ due: 0 });
    now = listingDue;
    expect(await sweeper.sweep()).toMatchObject({ due: 1, recorded: 1 });
    await caughtUp([...projectors, ...subscriptions]);
    expect((await eventsOf(listingStreamId(listingId))).at(-1)).toMatchObject({ type: 'ListingExpired', data: { expiredFaceValueCents: '700000' } });
    expect(await rowsOf(listingStreamId(listingId))).toEqual([]);

    // 4. The funded deal's credit expiry: DealExpired and BuyerRefunded in one append; the reservation comes back to the expired listing and is written off too.
    now = new Date(creditExpiry.getTime() - 1);
    expect(await sweeper.sweep()).toMatchObject({ due: 0 });
    now = creditExpiry;
    expect(await sweeper.sweep()).toMatchObject({ due: 1, recorded: 1 });
    await caughtUp([...projectors, ...subscriptions]);
    const fundedEvents = await eventsOf(dealStreamId(funded));
    expect(fundedEvents.slice(-2)).toMatchObject([
      { type: 'DealExpired', data: { deadline: 'credit_expiry' } },
      { type: 'BuyerRefunded', data: { amountCents: '120000', cause: 'deal_expired' } },
    ]);
    const creditExpiryKey = keys.get(`${dealStreamId(funded)}/deal_credit_expiry`)!;
    expect(fundedEvents.slice(-2).map((event) => event.id)).toEqual([0, 1].map((index) => expectedEventId(dealStreamId(funded), creditExpiryKey, index)));
    expect((await eventsOf(listingStreamId(listingId))).at(-1)).toMatchObject({ type: 'ListingReservationReleased', data: { dealId: funded, faceValueCents: '200000' } });
    expect(await pool.query('SELECT 1 FROM deadlines WHERE stream_id = ANY($1)', [[listingStreamId(listingId), dealStreamId(funded), dealStreamId(awaiting), buyRequestStreamId(requestId)]])).toMatchObject({ rows: [] });

    // The books: the payment went back to cash, escrow is empty, and all 900,000 verified are lost to expiry, once.
    const balance = async (account: string): Promise<bigint> =>
      BigInt((await pool.query<{ total: string }>('SELECT coalesce(sum(balance_cents), 0)::text AS total FROM account_balances WHERE account = $1', [account])).rows[0]!.total);
    expect(await balance(`escrow:buyer:${buyerId}`)).toBe(0n);
    expect(await balance(`credits:listed:${sellerId}`)).toBe(-900_000n);
    const refund = await pool.query<{ account: string; amount: string }>(
      `SELECT p.account, p.amount_cents::text AS amount FROM journal_entries e JOIN journal_postings p ON p.entry_id = e.id WHERE e.deal_id = $1 AND e.kind = 'buyer_refund' ORDER BY p.posting_index`,
      [funded],
    );
    expect(refund.rows).toEqual([
      { account: `escrow:buyer:${buyerId}`, amount: '120000' },
      { account: 'cash', amount: '-120000' },
    ]);
    const writtenOff = await pool.query<{ total: string }>(
      `SELECT sum(p.amount_cents)::text AS total FROM journal_entries e JOIN journal_postings p ON p.entry_id = e.id WHERE e.listing_id = $1 AND p.account = 'credits:expired'`,
      [listingId],
    );
    expect(writtenOff.rows[0]!.total).toBe('900000');
    // The dashboard's "value lost to expiry" reads the listing view's expired part: the same 900,000.
    const view = await pool.query<{ status: string; lost: string; available: string }>(
      `SELECT status, state->'expiredFaceValueCents'->>'$bigint' AS lost, available_face_value_cents::text AS available FROM listing_view WHERE id = $1`,
      [listingId],
    );
    expect(view.rows).toEqual([{ status: 'expired', lost: '900000', available: '0' }]);

    // Swept again, nothing is due and nothing is written.
    const head = await store.headPosition();
    expect(await sweeper.sweep()).toMatchObject({ due: 0, recorded: 0 });
    expect(await store.headPosition()).toEqual(head);
  });
});

describe('the deadline enforcer: exactly once', () => {
  /** A second ledger process, as far as the commands go: its own per-stream queue, so its commands race this process's at the store. */
  function otherProcessBus(processClock: Clock): ExpiryCommandBus & { approve(dealId: string): Promise<CommandOutcome> } {
    const queue = new KeyedQueue();
    const run = <State, Command, Event>(decider: StreamDecider<State, Command, Event>, streamId: string, command: Command, commandContext: CommandContext) =>
      runStreamCommand({ store, streamId, decider, command, context: commandContext, now: processClock, queue });
    return {
      async execute(message) {
        if (message instanceof ExecuteDealCommand) {
          const result = await run(deciders.deal, dealStreamId(message.command.dealId), message.command as DealCommand, message.context);
          return { id: message.command.dealId, streamRevision: result.streamRevision, position: result.position };
        }
        if (message instanceof ExecuteListingCommand) {
          const result = await run(deciders.listing, listingStreamId(message.command.listingId), message.command, message.context);
          return { id: message.command.listingId, streamRevision: result.streamRevision, position: result.position };
        }
        if (message instanceof ExecuteBuyRequestCommand) {
          const result = await run(deciders.buyRequest, buyRequestStreamId(message.command.buyRequestId), message.command, message.context);
          return { id: message.command.buyRequestId, streamRevision: result.streamRevision, position: result.position };
        }
        throw new Error('not an expiry command');
      },
      async approve(dealId) {
        const result = await run(deciders.deal, dealStreamId(dealId), approve(dealId, 'buyer'), { actorId: 'broker-ana', actorRole: 'broker', correlationId: randomUUID(), causationId: randomUUID() });
        return { id: dealId, streamRevision: result.streamRevision, position: result.position };
      },
    };
  }

  /** Opens `count` deals with their approval deadline at `approvalDeadline`, the seller's approval given. */
  async function dealsAwaitingTheBuyer(count: number, openedAt: Date): Promise<string[]> {
    const dealIds = Array.from({ length: count }, () => randomUUID());
    // Far ahead, so that the deals left open here are not due in the tests after this one.
    const creditExpiry = new Date(openedAt.getTime() + 1_000 * DAY_MS);
    for (let start = 0; start < dealIds.length; start += 50) {
      await Promise.all(
        dealIds.slice(start, start + 50).map((dealId) => seed(deciders.deal, dealStreamId(dealId), [openDeal(dealId, randomUUID(), 'seller-race', 'buyer-race', 100_000n, 60_000n, creditExpiry), approve(dealId, 'seller')], openedAt)),
      );
    }
    return dealIds;
  }

  it('a race at the approval deadline, 1,000 times, with two enforcers: each deal is either approved in time or expired, exactly once', async () => {
    const openedAt = new Date(T0.getTime() + 100 * DAY_MS);
    const approvalDeadline = new Date(openedAt.getTime() + POLICIES.approvalWindowMs);
    const dealIds = await dealsAwaitingTheBuyer(1_000, openedAt);
    await caughtUp();
    now = approvalDeadline;
    // Two enforcers in two "processes" (this one's CommandBus, and another queue), and the buyers approving a millisecond before the deadline in a third.
    const buyers = otherProcessBus(() => new Date(approvalDeadline.getTime() - 1));
    const other = otherProcessBus(() => approvalDeadline);
    const first = enforcer();
    const second = enforcer({ bus: other });
    const shuffled = [...dealIds].sort(() => Math.random() - 0.5);
    const approvals = { accepted: 0, refused: new Map<string, number>() };
    const approving = (async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < shuffled.length) {
            const dealId = shuffled[next++]!;
            try {
              await buyers.approve(dealId);
              approvals.accepted += 1;
            } catch (error) {
              const code = (error as { code?: string }).code ?? String(error);
              approvals.refused.set(code, (approvals.refused.get(code) ?? 0) + 1);
            }
          }
        }),
      );
    })();
    const started = performance.now();
    const [firstReport, secondReport] = await Promise.all([first.sweep(), second.sweep(), approving]);
    const seconds = (performance.now() - started) / 1_000;

    const outcomes = await Promise.all(dealIds.map(async (dealId) => (await eventsOf(dealStreamId(dealId))).map((event) => (event.type === 'DealApproved' ? `DealApproved:${String(event.data.party)}` : event.type))));
    const approved = outcomes.filter((types) => types.includes('DealApproved:buyer'));
    const expired = outcomes.filter((types) => types.includes('DealExpired'));
    for (const types of outcomes) {
      const terminal = types.filter((type) => type === 'DealApproved:buyer' || type === 'DealExpired');
      expect(terminal).toHaveLength(1);
    }
    expect(approved.length + expired.length).toBe(1_000);
    expect(approvals.accepted).toBe(approved.length);
    // Both sides won some races, or the test raced nothing.
    expect(approved.length).toBeGreaterThan(0);
    expect(expired.length).toBeGreaterThan(0);
    // Late approvals found the deal expired; refused expiries found it approved in time. Neither is an error.
    expect([...approvals.refused.keys()].every((code) => code === 'DEAL_CLOSED')).toBe(true);
    expect(firstReport.failed + secondReport.failed).toBe(0);
    expect(Object.keys({ ...firstReport.refused, ...secondReport.refused }).every((code) => code === 'DEAL_DEADLINE_NOT_REACHED' || code === 'DEAL_CLOSED')).toBe(true);
    process.stdout.write(`race: ${approved.length} approved in time, ${expired.length} expired, in ${seconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s\n`);
    await caughtUp();
  }, 120_000);

  it('a restart in the middle of a sweep: the enforcer stopped mid-batch, another one started, every due deadline enforced once', async () => {
    const openedAt = new Date(T0.getTime() + 200 * DAY_MS);
    const dealIds = await dealsAwaitingTheBuyer(300, openedAt);
    const requestIds = Array.from({ length: 50 }, () => randomUUID());
    for (const requestId of requestIds) {
      await seed(deciders.buyRequest, buyRequestStreamId(requestId), [
        { type: 'PlaceBuyRequest', placedBy: 'broker-ana', buyRequestId: requestId, buyerId: 'buyer-restart', provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: 500_000n, maxPriceBps: 7_000, minValidityDays: 5, deadline: new Date(openedAt.getTime() + DAY_MS) },
      ] satisfies BuyRequestCommand[], openedAt);
    }
    await caughtUp();
    now = new Date(openedAt.getTime() + POLICIES.approvalWindowMs);

    let outcomes = 0;
    const stopped: { promise: Promise<void> | null } = { promise: null };
    const first = enforcer({
      concurrency: 4,
      onOutcome: () => {
        outcomes += 1;
        // Stopped with commands in flight, in the middle of a page.
        if (outcomes === 120) stopped.promise = first.stop();
      },
    });
    first.start();
    const waitUntil = Date.now() + 30_000;
    while (stopped.promise === null && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 5));
    await stopped.promise;
    expect(first.status().state).toBe('stopped');
    const streams = [...dealIds.map(dealStreamId), ...requestIds.map(buyRequestStreamId)];
    const expiredBefore = (await Promise.all(streams.map(typesOf))).filter((types) => types.some((type) => type.endsWith('Expired'))).length;
    expect(expiredBefore).toBeGreaterThanOrEqual(120);
    expect(expiredBefore).toBeLessThan(350);

    // The projection may not have caught up with what the first one did: the second sends those again, and records nothing twice.
    const second = enforcer();
    const report = await second.sweep();
    expect(report.failed).toBe(0);
    for (const types of await Promise.all(streams.map(typesOf))) expect(types.filter((type) => type === 'DealExpired' || type === 'BuyRequestExpired')).toHaveLength(1);
    await caughtUp();
    expect((await pool.query('SELECT 1 FROM deadlines WHERE stream_id = ANY($1)', [streams])).rows).toEqual([]);
  }, 60_000);

  it('an enforcer that died after its append, before it knew: the next one derives the same ids and records nothing twice', async () => {
    const openedAt = new Date(T0.getTime() + 300 * DAY_MS);
    const dealIds = await dealsAwaitingTheBuyer(20, openedAt);
    await caughtUp();
    now = new Date(openedAt.getTime() + POLICIES.approvalWindowMs);
    // A store whose appends commit and then fail, as a process killed right after the commit.
    const dying: EventStore = {
      append: async (...args) => {
        await store.append(...args);
        throw new Error('connection lost after the commit');
      },
      readStream: (...args) => store.readStream(...args),
      readAll: (...args) => store.readAll(...args),
      headPosition: () => store.headPosition(),
      ping: () => store.ping(),
      close: async () => undefined,
    };
    const dyingContext = await NestFactory.createApplicationContext(LedgerCommandsModule.register({ store: dying, clock, ...POLICIES }), { logger: false });
    try {
      const report = await enforcer({ bus: dyingContext.get(CommandBus) }).sweep();
      expect(report).toMatchObject({ due: 20, failed: 20 });
    } finally {
      await dyingContext.close();
    }
    const again = await enforcer().sweep();
    expect(again).toMatchObject({ failed: 0 });
    for (const dealId of dealIds) expect((await typesOf(dealStreamId(dealId))).filter((type) => type === 'DealExpired')).toHaveLength(1);
    await caughtUp();
  });

  it('a refused expiry (the deadline moved, the stream closed meanwhile) is an outcome, not an error: the enforcer carries on', async () => {
    const requestId = randomUUID();
    const closedDeal = randomUUID();
    const due = new Date(T0.getTime() + 400 * DAY_MS);
    await seed(deciders.buyRequest, buyRequestStreamId(requestId), [
      { type: 'PlaceBuyRequest', placedBy: 'broker-ana', buyRequestId: requestId, buyerId: 'buyer-moved', provider: 'openai', creditTypes: ['prepaid_api'], faceValueCents: 500_000n, maxPriceBps: 7_000, minValidityDays: 5, deadline: due },
      { type: 'AmendBuyRequest', buyRequestId: requestId, deadline: new Date(due.getTime() + DAY_MS) },
    ] satisfies BuyRequestCommand[], new Date(due.getTime() - DAY_MS));
    await seed(deciders.deal, dealStreamId(closedDeal), [openDeal(closedDeal, randomUUID(), 's', 'b', 1_000n, 600n, new Date(due.getTime() + 30 * DAY_MS)), { type: 'CancelDeal', dealId: closedDeal, reason: 'called off' }], new Date(due.getTime() - DAY_MS));
    // A read model that lags behind the log: it still holds the old deadline and the closed deal's.
    const stale: DueDeadline[] = [
      { streamId: buyRequestStreamId(requestId), kind: 'buy_request_deadline', deadlineAt: due, expiryKey: `${buyRequestStreamId(requestId)}/buy_request_deadline/${due.toISOString()}` },
      { streamId: dealStreamId(closedDeal), kind: 'deal_approval', deadlineAt: due, expiryKey: `${dealStreamId(closedDeal)}/deal_approval/${due.toISOString()}` },
    ];
    const source: DueDeadlineSource = { due: async (kind, cutoff) => stale.filter((deadline) => deadline.kind === kind && deadline.deadlineAt <= cutoff) };
    now = due;
    const lagging = enforcer({ source });
    const report = await lagging.sweep();
    expect(report).toMatchObject({ due: 2, failed: 0, refused: { BUY_REQUEST_DEADLINE_NOT_REACHED: 1, DEAL_CLOSED: 1 } });
    // Not sent again every poll while the projection catches up.
    expect(await lagging.sweep()).toMatchObject({ due: 2, skipped: 2 });
    lagging.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lagging.status()).toEqual({ name: DEADLINE_ENFORCER, state: 'running', position: null, error: null });
    await lagging.stop();
    expect(await typesOf(buyRequestStreamId(requestId))).toEqual(['BuyRequestPlaced', 'BuyRequestAmended']);
    await caughtUp();
  });
});
