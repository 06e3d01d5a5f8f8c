import fc from 'fast-check';
import { isDomainError } from '../domain-error.js';
import { EARLIEST_TIME_MS, LATEST_TIME_MS } from '../limits.js';
import { MAX_CENTS } from '../money.js';
import { CASH_ACCOUNT, COMMISSION_REVENUE_ACCOUNT, buyerEscrowAccount, dealJournalEntries, sellerPayableAccount } from './deal-journal.js';
import { decodeDealEvent, encodeDealEvent } from './deal.codec.js';
import { DEAL_PARTIES, DISPUTE_OUTCOMES, type DealCommand, type DealParty, TRANSFER_MECHANISMS } from './deal.commands.js';
import { decideDeal } from './deal.decide.js';
import { DEAL_DEADLINES, DEAL_EVENT_TYPES, DEAL_MONEY_EVENT_TYPES, type DealEvent, REFUND_CAUSES } from './deal.events.js';
import { evolveDeal, foldDealEvents } from './deal.evolve.js';
import { DEAL_STATUSES, type DealState, initialDealState } from './deal.state.js';

const DEAL_ID = 'deal-1';
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const amount = fc.oneof(fc.bigInt({ min: 1n, max: 1_000_000n }), fc.constantFrom(1n, 100_000n, 1_000_000n));
const commissionBps = fc.oneof(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(0, 1, 1_000, 9_999, 10_000));
const party = fc.constantFrom<DealParty>(...DEAL_PARTIES);

/** A step: a command (some parts chosen against the state when it runs) and how far the clock moves first. */
interface Step {
  readonly advanceMs: number;
  readonly command: (state: DealState, nowMs: number) => DealCommand;
}

function current<Value>(state: DealState, read: (deal: Exclude<DealState, { status: 'none' }>) => Value, fallback: Value): Value {
  return state.status === 'none' ? fallback : read(state);
}

const openDeal = fc.record({ faceValueCents: amount, priceCents: amount, commissionBps, validityDays: fc.integer({ min: 1, max: 20 }), withRequest: fc.boolean() }).map(
  ({ validityDays, withRequest, ...terms }) =>
    (_state: DealState, nowMs: number): DealCommand => ({
      type: 'OpenDeal',
      dealId: DEAL_ID,
      listingId: 'listing-1',
      sellerId: 'seller-1',
      buyerId: 'buyer-1',
      brokerId: 'broker-1',
      currency: 'USD',
      creditExpiresAt: new Date(nowMs + validityDays * DAY_MS),
      ...terms,
      ...(withRequest ? { buyRequestId: 'request-1' } : {}),
    }),
);

const amendDealTerms = fc
  .record({
    priceCents: fc.option(amount, { nil: undefined }),
    faceValueCents: fc.option(amount, { nil: undefined }),
    commissionBps: fc.option(commissionBps, { nil: undefined }),
    reserved: fc.oneof(fc.constant('opening' as const), amount),
  })
  .map(
    ({ reserved, ...terms }) =>
      (state: DealState): DealCommand => ({
        type: 'AmendDealTerms',
        dealId: DEAL_ID,
        ...terms,
        reservedFaceValueCents: reserved === 'opening' ? current(state, (deal) => deal.reservedFaceValueCents, 1n) : reserved,
      }),
  );

const approveDeal = fc.record({ party, version: fc.oneof(fc.constant('current' as const), fc.constant('current' as const), fc.integer({ min: 1, max: 4 })) }).map(
  ({ party: who, version }) =>
    (state: DealState): DealCommand => ({
      type: 'ApproveDeal',
      dealId: DEAL_ID,
      party: who,
      termsVersion: version === 'current' ? current(state, (deal) => deal.termsVersion, 1) : version,
      approvedBy: `${who}-contact`,
    }),
);

const receiveBuyerPayment = fc.record({ portion: fc.oneof(fc.constant('rest' as const), fc.constant('half' as const), amount), ref: fc.integer({ min: 0, max: 5 }) }).map(
  ({ portion, ref }) =>
    (state: DealState): DealCommand => {
      const restCents = current(state, (deal) => deal.priceCents - deal.paidCents, 1n);
      const amountCents = portion === 'rest' ? restCents : portion === 'half' ? restCents / 2n : portion;
      return { type: 'ReceiveBuyerPayment', dealId: DEAL_ID, amountCents: amountCents > 0n ? amountCents : 1n, paymentRef: `pay-${ref}` };
    },
);

const confirmCreditTransfer = fc.oneof(fc.constant('whole' as const), amount).map(
  (portion) =>
    (state: DealState): DealCommand => ({
      type: 'ConfirmCreditTransfer',
      dealId: DEAL_ID,
      confirmedFaceValueCents: portion === 'whole' ? current(state, (deal) => deal.faceValueCents, 1n) : portion,
      evidence: { method: 'provider_console', reference: 'screenshot-1' },
    }),
);

const resolveDispute = fc.record({ outcome: fc.constantFrom(...DISPUTE_OUTCOMES), withRef: fc.boolean() }).map(
  ({ outcome, withRef }) =>
    (): DealCommand => ({ type: 'ResolveDispute', dealId: DEAL_ID, outcome, ...(withRef ? { payoutRef: 'payout-2' } : {}) }),
);

const anyCommand = fc.oneof(
  { arbitrary: openDeal, weight: 1 },
  { arbitrary: amendDealTerms, weight: 1 },
  { arbitrary: approveDeal, weight: 8 },
  { arbitrary: fc.constant((): DealCommand => ({ type: 'RejectDeal', dealId: DEAL_ID, party: 'buyer', reason: 'no', rejectedBy: 'buyer-contact' })), weight: 1 },
  { arbitrary: receiveBuyerPayment, weight: 6 },
  {
    arbitrary: fc.constantFrom(...TRANSFER_MECHANISMS).map((mechanism) => (): DealCommand => ({ type: 'StartCreditTransfer', dealId: DEAL_ID, mechanism, reference: 'invite' })),
    weight: 4,
  },
  { arbitrary: confirmCreditTransfer, weight: 4 },
  { arbitrary: fc.constant((): DealCommand => ({ type: 'FailCreditTransfer', dealId: DEAL_ID, reason: 'bounced' })), weight: 1 },
  { arbitrary: fc.constant((): DealCommand => ({ type: 'IssueSellerPayout', dealId: DEAL_ID, payoutRef: 'payout-1' })), weight: 3 },
  { arbitrary: fc.constant((): DealCommand => ({ type: 'CancelDeal', dealId: DEAL_ID, reason: 'changed plans' })), weight: 1 },
  { arbitrary: fc.constant((): DealCommand => ({ type: 'ExpireDeal', dealId: DEAL_ID })), weight: 1 },
  { arbitrary: fc.constant((): DealCommand => ({ type: 'DisputeDeal', dealId: DEAL_ID, reason: 'short' })), weight: 1 },
  { arbitrary: resolveDispute, weight: 2 },
  {
    arbitrary: fc.constantFrom('broker-1', 'broker-2').map((brokerId) => (): DealCommand => ({ type: 'ReassignDealBroker', dealId: DEAL_ID, brokerId })),
    weight: 1,
  },
);

/** Mostly hours, now and then days: deadlines (48 hours to approve, credits expiring in days) are met and missed. */
const advanceMs = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 2 * HOUR_MS }), weight: 9 }, { arbitrary: fc.integer({ min: 0, max: 5 * DAY_MS }), weight: 1 });
const step: fc.Arbitrary<Step> = fc.record({ advanceMs, command: anyCommand });

/** Most sequences start with an opening, or nothing would happen. */
const dealSteps: fc.Arbitrary<Step[]> = fc
  .tuple(fc.integer({ min: 0, max: 9 }), openDeal, fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }))
  .map(([dice, open, rest]) => (dice > 0 ? [{ advanceMs: 0, command: open }, ...rest] : rest));

/** Called with the state just before each decided event. */
type Check = (before: DealState, event: DealEvent) => void;

interface Run {
  readonly history: DealEvent[];
  readonly state: DealState;
}

/**
 * Applies the steps the decider accepts and ignores the ones it refuses with
 * a DomainError. Any other error (an assertion in decide or evolve) fails
 * the property.
 */
function run(steps: readonly Step[], check: Check = () => undefined): Run {
  let state = initialDealState;
  let nowMs = START_MS;
  const history: DealEvent[] = [];
  for (const { advanceMs: advance, command: commandFor } of steps) {
    nowMs += advance;
    const command = commandFor(state, nowMs);
    let events: DealEvent[];
    try {
      events = decideDeal(state, command, new Date(nowMs));
    } catch (error) {
      if (isDomainError(error)) continue;
      throw error;
    }
    for (const event of events) {
      check(state, event);
      state = evolveDeal(state, event);
      history.push(event);
    }
  }
  return { history, state };
}

describe('deal properties over random command sequences', () => {
  it('commission + payout = price, in every state and every terms fact', () => {
    fc.assert(
      fc.property(dealSteps, (sequence) => {
        run(sequence, (before, event) => {
          if (event.type === 'DealOpened' || event.type === 'DealTermsAmended') {
            expect(event.data.commissionCents + event.data.payoutCents).toBe(event.data.priceCents);
          }
          const after = evolveDeal(before, event);
          if (after.status !== 'none') expect(after.commissionCents + after.payoutCents).toBe(after.priceCents);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('only an active deal changes brokers, and only to another one; nothing else changes with it', () => {
    fc.assert(
      fc.property(dealSteps, (sequence) => {
        run(sequence, (before, event) => {
          if (event.type !== 'DealBrokerReassigned') return;
          expect(before.status === 'none' || ['settled', 'rejected', 'cancelled', 'expired'].includes(before.status)).toBe(false);
          if (before.status === 'none') return;
          expect(event.data.fromBrokerId).toBe(before.brokerId);
          expect(event.data.toBrokerId).not.toBe(before.brokerId);
          expect(evolveDeal(before, event)).toEqual({ ...before, brokerId: event.data.toBrokerId });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('payments never exceed the price and a refund never exceeds what was paid', () => {
    fc.assert(
      fc.property(dealSteps, (sequence) => {
        run(sequence, (before, event) => {
          if (before.status === 'none') return;
          if (event.type === 'BuyerRefunded') expect(event.data.amountCents <= before.paidCents - before.refundedCents).toBe(true);
          if (event.type === 'BuyerPaymentReceived') expect(before.paidCents + event.data.amountCents <= before.priceCents).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('no money fact (payment, transfer, payout) before both approvals of the current terms version', () => {
    fc.assert(
      fc.property(dealSteps, (sequence) => {
        // Followed from the facts alone, independently of evolve.
        let termsVersion = 0;
        let approvedBy = new Set<DealParty>();
        let transferConfirmed = false;
        run(sequence, (_before, event) => {
          switch (event.type) {
            case 'DealOpened':
            case 'DealTermsAmended':
              termsVersion = event.data.termsVersion;
              approvedBy = new Set();
              break;
            case 'DealApproved':
              expect(event.data.termsVersion).toBe(termsVersion);
              approvedBy.add(event.data.party);
              break;
            case 'CreditTransferConfirmed':
              transferConfirmed = true;
              break;
            default:
              break;
          }
          if ((DEAL_MONEY_EVENT_TYPES as readonly string[]).includes(event.type)) expect([...approvedBy].sort()).toEqual(['buyer', 'seller']);
          if (event.type === 'SellerPayoutIssued') expect(transferConfirmed).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('evolve never throws on histories decide produced, and a fold from scratch equals the running state', () => {
    fc.assert(
      fc.property(dealSteps, (sequence) => {
        const { history, state } = run(sequence);
        expect(foldDealEvents(history)).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });

  it('reach every deal fact and status, so the properties above are not vacuous', () => {
    const runs = fc.sample(dealSteps, { numRuns: 400, seed: 42 }).map((sequence) => run(sequence));
    const types = new Set(runs.flatMap(({ history }) => history.map((event) => event.type)));
    const statuses = new Set<string>(['none']);
    for (const { history } of runs) history.reduce((state, event) => {
      const next = evolveDeal(state, event);
      statuses.add(next.status);
      return next;
    }, initialDealState);
    expect([...types].sort()).toEqual([...DEAL_EVENT_TYPES].sort());
    expect([...statuses].sort()).toEqual([...DEAL_STATUSES].sort());
  });

  it('encodes every event decide produced to JSON that decodes to the same event', () => {
    fc.assert(
      fc.property(dealSteps, (sequence) => {
        for (const event of run(sequence).history) {
          const stored = JSON.parse(JSON.stringify(encodeDealEvent(event))) as { type: string; data: Record<string, unknown> };
          expect(decodeDealEvent(stored)).toStrictEqual(event);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('posts balanced journal entries, and leaves escrow and payable at zero when the deal closes', () => {
    fc.assert(
      fc.property(dealSteps, (sequence) => {
        const balances = new Map<string, bigint>();
        const { state } = run(sequence, (before, event) => {
          for (const entry of dealJournalEntries(before, event)) {
            expect(entry.postings.reduce((sum, posting) => sum + posting.amountCents, 0n)).toBe(0n);
            for (const posting of entry.postings) balances.set(posting.account, (balances.get(posting.account) ?? 0n) + posting.amountCents);
          }
        });
        expect([...balances.values()].reduce((sum, balance) => sum + balance, 0n)).toBe(0n);
        if (state.status === 'none') return;
        const balance = (account: string) => balances.get(account) ?? 0n;
        // Money held for the buyer is the part paid, not refunded and not yet released by a delivery.
        const released = state.confirmedFaceValueCents !== undefined;
        expect(balance(buyerEscrowAccount('buyer-1'))).toBe(released ? 0n : -(state.paidCents - state.refundedCents));
        if (state.status === 'settled') {
          expect(balance(sellerPayableAccount('seller-1'))).toBe(0n);
          expect(balance(CASH_ACCOUNT)).toBe(state.commissionCents);
          expect(balance(COMMISSION_REVENUE_ACCOUNT)).toBe(-state.commissionCents);
        }
        if (state.status === 'cancelled' || state.status === 'expired' || state.status === 'rejected') {
          expect(balance(CASH_ACCOUNT)).toBe(0n);
          expect(balance(sellerPayableAccount('seller-1'))).toBe(0n);
          expect(balance(COMMISSION_REVENUE_ACCOUNT)).toBe(0n);
          expect(balance('credits:reserved')).toBe(0n);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const time = fc.date({ min: new Date(EARLIEST_TIME_MS), max: new Date(LATEST_TIME_MS), noInvalidDate: true });
const cents = fc.bigInt({ min: 0n, max: MAX_CENTS });
const text = fc.string({ minLength: 1, maxLength: 40 });
const count = fc.integer({ min: 1, max: 1_000 });
/** Plain objects, as the decoder builds them (fast-check may otherwise build objects without a prototype). */
const PLAIN = { noNullPrototype: true } as const;
const terms = { faceValueCents: cents, priceCents: cents, commissionBps: fc.integer({ min: 0, max: 10_000 }), commissionCents: cents, payoutCents: cents };

const evidence = fc.record({ method: text, reference: text }, PLAIN);

function withOptional<Data extends object, Key extends string, Value>(data: Data, key: Key, value: Value | undefined): Data {
  return value === undefined ? data : { ...data, [key]: value };
}

const dealEvent: fc.Arbitrary<DealEvent> = fc.oneof(
  fc
    .record(
      {
        dealId: text,
        listingId: text,
        sellerId: text,
        buyerId: text,
        brokerId: text,
        currency: text,
        ...terms,
        termsVersion: count,
        approvalDeadline: time,
        creditExpiresAt: time,
        openedAt: time,
        buyRequestId: fc.option(text, { nil: undefined }),
      },
      PLAIN,
    )
    .map(({ buyRequestId, ...data }): DealEvent => ({ type: 'DealOpened', data: withOptional(data, 'buyRequestId', buyRequestId) })),
  fc.record({ dealId: text, termsVersion: count, ...terms, amendedAt: time }, PLAIN).map((data): DealEvent => ({ type: 'DealTermsAmended', data })),
  fc
    .record({ dealId: text, party, termsVersion: count, approvedBy: text, evidence: fc.option(evidence, { nil: undefined }), approvedAt: time }, PLAIN)
    .map(({ evidence: given, ...data }): DealEvent => ({ type: 'DealApproved', data: withOptional(data, 'evidence', given) })),
  fc.record({ dealId: text, party, reason: text, rejectedBy: text, rejectedAt: time }, PLAIN).map((data): DealEvent => ({ type: 'DealRejected', data })),
  fc.record({ dealId: text, amountCents: cents, paymentRef: text, receivedAt: time }, PLAIN).map((data): DealEvent => ({ type: 'BuyerPaymentReceived', data })),
  fc
    .record({ dealId: text, mechanism: fc.constantFrom(...TRANSFER_MECHANISMS), reference: text, attempt: count, startedAt: time }, PLAIN)
    .map((data): DealEvent => ({ type: 'CreditTransferStarted', data })),
  fc
    .record({ dealId: text, confirmedFaceValueCents: cents, evidence, confirmedAt: time }, PLAIN)
    .map((data): DealEvent => ({ type: 'CreditTransferConfirmed', data })),
  fc.record({ dealId: text, reason: text, failedAt: time }, PLAIN).map((data): DealEvent => ({ type: 'CreditTransferFailed', data })),
  fc
    .record({ dealId: text, amountCents: cents, commissionCents: cents, payoutRef: text, issuedAt: time }, PLAIN)
    .map((data): DealEvent => ({ type: 'SellerPayoutIssued', data })),
  fc.record({ dealId: text, settledAt: time }, PLAIN).map((data): DealEvent => ({ type: 'DealSettled', data })),
  fc.record({ dealId: text, reason: text, cancelledAt: time }, PLAIN).map((data): DealEvent => ({ type: 'DealCancelled', data })),
  fc
    .record({ dealId: text, amountCents: cents, cause: fc.constantFrom(...REFUND_CAUSES), refundedAt: time }, PLAIN)
    .map((data): DealEvent => ({ type: 'BuyerRefunded', data })),
  fc.record({ dealId: text, deadline: fc.constantFrom(...DEAL_DEADLINES), expiredAt: time }, PLAIN).map((data): DealEvent => ({ type: 'DealExpired', data })),
  fc.record({ dealId: text, reason: text, disputedAt: time }, PLAIN).map((data): DealEvent => ({ type: 'DealDisputed', data })),
  fc.record({ dealId: text, outcome: fc.constantFrom(...DISPUTE_OUTCOMES), resolvedAt: time }, PLAIN).map((data): DealEvent => ({ type: 'DisputeResolved', data })),
  fc
    .record({ dealId: text, fromBrokerId: text, toBrokerId: text, reassignedAt: time }, PLAIN)
    .map((data): DealEvent => ({ type: 'DealBrokerReassigned', data })),
);

describe('deal event codec', () => {
  it('round-trips every event through its stored JSON form', () => {
    fc.assert(
      fc.property(dealEvent, (event) => {
        const stored = JSON.parse(JSON.stringify(encodeDealEvent(event))) as { type: string; data: Record<string, unknown> };
        expect(decodeDealEvent(stored)).toStrictEqual(event);
      }),
      { numRuns: 1_000 },
    );
  });

  it('leaves absent optional fields out of the stored form', () => {
    const encoded = encodeDealEvent({ type: 'DealApproved', data: { dealId: 'd', party: 'buyer', termsVersion: 1, approvedBy: 'b', approvedAt: new Date(Date.UTC(2026, 0, 1)) } });
    expect(encoded.data).not.toHaveProperty('evidence');
  });

  const amended = encodeDealEvent({
    type: 'DealTermsAmended',
    data: { dealId: 'd', termsVersion: 2, faceValueCents: 2n, priceCents: 1n, commissionBps: 0, commissionCents: 0n, payoutCents: 1n, amendedAt: new Date(Date.UTC(2026, 0, 1)) },
  });
  it.each<[string, { type: string; data: Record<string, unknown> }]>([
    ['an unknown type', { type: 'DealTeleported', data: {} }],
    ['an unknown party', { type: 'DealRejected', data: { dealId: 'd', party: 'broker', reason: 'r', rejectedBy: 'b', rejectedAt: '2026-01-02T00:00:00.000Z' } }],
    ['a fractional terms version', { type: amended.type, data: { ...amended.data, termsVersion: 1.5 } }],
    ['a negative amount', { type: 'BuyerRefunded', data: { dealId: 'd', amountCents: '-5', cause: 'deal_cancelled', refundedAt: '2026-01-02T00:00:00.000Z' } }],
    ['a missing field', { type: 'DealCancelled', data: { dealId: 'd', cancelledAt: '2026-01-02T00:00:00.000Z' } }],
  ])('refuses to decode %s', (_case, stored) => {
    expect(() => decodeDealEvent(stored)).toThrow(/cannot decode event/);
  });
});
