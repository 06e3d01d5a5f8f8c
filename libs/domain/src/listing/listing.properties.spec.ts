import fc from 'fast-check';
import { CREDIT_TYPES } from '../command-fields.js';
import { isDomainError } from '../domain-error.js';
import { EARLIEST_TIME_MS, LATEST_TIME_MS } from '../limits.js';
import { MAX_CENTS } from '../money.js';
import { decodeListingEvent, encodeListingEvent } from './listing.codec.js';
import type { ListingCommand } from './listing.commands.js';
import { decideListing } from './listing.decide.js';
import { LISTING_EVENT_TYPES, type ListingEvent } from './listing.events.js';
import { evolveListing, foldListingEvents } from './listing.evolve.js';
import { DEFAULT_LISTING_POLICY, matchableUntil } from './listing.policy.js';
import { LISTING_STATUSES, type ListingState, initialListingState } from './listing.state.js';

const MATCH = { buyerId: 'buyer-1', brokerId: 'broker-1', commissionBps: 1_000, buyRequestId: null } as const;

const LISTING_ID = 'listing-1';
const START_MS = Date.parse('2026-01-01T00:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const DEAL_IDS = ['deal-0', 'deal-1', 'deal-2', 'deal-3', 'deal-4'];

/** Face values around a listing's size, with the edges (1 cent, the whole claim) likely. */
const faceValue = fc.oneof(fc.bigInt({ min: 1n, max: 1_000_000n }), fc.constantFrom(1n, 250_000n, 500_000n, 1_000_000n));
const dealId = fc.constantFrom(...DEAL_IDS);

/** A step: a command (some parts chosen against the state when it runs) and how far the clock moves first. */
interface Step {
  readonly advanceMs: number;
  readonly command: (state: ListingState, nowMs: number) => ListingCommand;
}

const submitListing = fc.record({ claimed: faceValue, validityDays: fc.integer({ min: 1, max: 30 }) }).map(
  ({ claimed, validityDays }) =>
    (_state: ListingState, nowMs: number): ListingCommand => ({
      type: 'SubmitListing',
      submittedBy: 'broker-ana',
      listingId: LISTING_ID,
      sellerId: 'seller-1',
      provider: 'openai',
      creditType: 'prepaid_api',
      providerOrgRef: 'org-1',
      currency: 'USD',
      claimedFaceValueCents: claimed,
      creditExpiresAt: new Date(nowMs + validityDays * DAY_MS),
      askPriceCents: 1_000n,
    }),
);

const verifyListing = fc.record({ verified: fc.oneof(fc.constant('claim' as const), faceValue), shiftDays: fc.integer({ min: -5, max: 5 }) }).map(
  ({ verified, shiftDays }) =>
    (state: ListingState, nowMs: number): ListingCommand => ({
      type: 'VerifyListing',
      listingId: LISTING_ID,
      verifiedBy: 'broker-1',
      verifiedFaceValueCents: verified === 'claim' ? (state.status === 'none' ? 1n : state.claimedFaceValueCents) : verified,
      verifiedExpiresAt: new Date((state.status === 'none' ? nowMs : state.creditExpiresAt.getTime()) + shiftDays * DAY_MS),
      evidence: { method: 'provider_console', reference: 'ticket-1', checkedAt: new Date(nowMs) },
    }),
);

/** A deal that holds a reservation when there is one (chosen by `pick`), otherwise any deal. */
function pickDeal(state: ListingState, pick: number): string {
  const open = state.status === 'none' ? [] : [...state.reservations.keys()];
  return open.length > 0 ? (open[pick % open.length] as string) : (DEAL_IDS[pick % DEAL_IDS.length] as string);
}

const reserveListing = fc.record({ dealId, portion: fc.oneof(fc.constant('rest' as const), faceValue), priceCents: faceValue }).map(
  ({ dealId: id, portion, priceCents }) =>
    (state: ListingState): ListingCommand => ({
      type: 'ReserveListing',
      listingId: LISTING_ID,
      dealId: id,
      faceValueCents: portion === 'rest' ? (state.status === 'none' || state.availableFaceValueCents === 0n ? 1n : state.availableFaceValueCents) : portion,
      priceCents, match: MATCH,
    }),
);

const releaseListingReservation = fc.nat().map(
  (pick) =>
    (state: ListingState): ListingCommand => ({ type: 'ReleaseListingReservation', listingId: LISTING_ID, dealId: pickDeal(state, pick), reason: 'deal_cancelled' }),
);

const sellListingReservation = fc.record({ pick: fc.nat(), portion: fc.oneof(fc.constant('whole' as const), fc.constant('whole' as const), faceValue) }).map(
  ({ pick, portion }) =>
    (state: ListingState): ListingCommand => {
      const id = pickDeal(state, pick);
      const reserved = state.status === 'none' ? undefined : state.reservations.get(id)?.faceValueCents;
      return { type: 'SellListingReservation', listingId: LISTING_ID, dealId: id, faceValueCents: portion === 'whole' ? (reserved ?? 1n) : portion };
    },
);

const anyCommand = fc.oneof(
  { arbitrary: submitListing, weight: 1 },
  { arbitrary: verifyListing, weight: 2 },
  { arbitrary: fc.constant((): ListingCommand => ({ type: 'FailListingVerification', listingId: LISTING_ID, reason: 'not found' })), weight: 1 },
  { arbitrary: faceValue.map((askPriceCents) => (): ListingCommand => ({ type: 'RepriceListing', listingId: LISTING_ID, askPriceCents })), weight: 1 },
  { arbitrary: fc.constant((): ListingCommand => ({ type: 'WithdrawListing', listingId: LISTING_ID, reason: 'withdrawn' })), weight: 1 },
  { arbitrary: reserveListing, weight: 6 },
  { arbitrary: releaseListingReservation, weight: 3 },
  { arbitrary: sellListingReservation, weight: 4 },
  { arbitrary: fc.constant((): ListingCommand => ({ type: 'ExpireListing', listingId: LISTING_ID })), weight: 1 },
);

const advanceMs = fc.oneof(fc.integer({ min: 0, max: DAY_MS }), fc.constant(0));
const step: fc.Arbitrary<Step> = fc.record({ advanceMs, command: anyCommand });

/** Most sequences start with a submission and a verification, or little would happen. */
const listingSteps: fc.Arbitrary<Step[]> = fc
  .tuple(fc.integer({ min: 0, max: 9 }), submitListing, verifyListing, fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }))
  .map(([dice, submit, verify, rest]) => (dice > 1 ? [{ advanceMs: 0, command: submit }, { advanceMs: 0, command: verify }, ...rest] : rest));

interface Run {
  readonly history: ListingEvent[];
  readonly state: ListingState;
}

type Check = (before: ListingState, command: ListingCommand, events: ListingEvent[], now: Date) => void;

/**
 * Applies the steps the decider accepts, ignores the ones it refuses with a
 * DomainError, and hands every decision to `check`. Any other error (an
 * assertion in decide or evolve) fails the property.
 */
function run(steps: readonly Step[], check: Check = () => undefined): Run {
  let state = initialListingState;
  let nowMs = START_MS;
  const history: ListingEvent[] = [];
  for (const { advanceMs: advance, command: commandFor } of steps) {
    nowMs += advance;
    const now = new Date(nowMs);
    const command = commandFor(state, nowMs);
    let events: ListingEvent[];
    try {
      events = decideListing(state, command, now);
    } catch (error) {
      if (isDomainError(error)) continue;
      throw error;
    }
    check(state, command, events, now);
    state = events.reduce(evolveListing, state);
    history.push(...events);
    // Sent again, a process manager's command finds its fact recorded and records nothing.
    if (isRepeatable(command)) expect(decideListing(state, command, now)).toEqual([]);
  }
  return { history, state };
}

/** Commands that, once recorded, record nothing when sent again (the process managers' and the deadline worker's reruns). */
function isRepeatable(command: ListingCommand): boolean {
  return (
    command.type === 'ReserveListing' ||
    command.type === 'ReleaseListingReservation' ||
    command.type === 'SellListingReservation' ||
    command.type === 'ExpireListing'
  );
}

function expectFaceValueSound(state: ListingState): void {
  if (state.status === 'none') return;
  const parts = [state.availableFaceValueCents, state.reservedFaceValueCents, state.soldFaceValueCents, state.withdrawnFaceValueCents, state.expiredFaceValueCents];
  expect(parts.every((part) => part >= 0n)).toBe(true);
  expect(state.reservedFaceValueCents + state.soldFaceValueCents <= state.verifiedFaceValueCents).toBe(true);
  expect(parts.reduce((sum, part) => sum + part, 0n)).toBe(state.verifiedFaceValueCents);
  expect(state.verifiedFaceValueCents <= state.claimedFaceValueCents).toBe(true);
}

describe('listing properties over random command sequences', () => {
  it('reserved + sold never exceeds the verified face value, and face value is conserved', () => {
    fc.assert(
      fc.property(listingSteps, (sequence) => {
        run(sequence, (before, _command, events) => {
          let state = before;
          for (const event of events) {
            state = evolveListing(state, event);
            expectFaceValueSound(state);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reserves only verified, matchable credits, within what is available', () => {
    fc.assert(
      fc.property(listingSteps, (sequence) => {
        run(sequence, (before, _command, events, now) => {
          for (const event of events) {
            if (event.type !== 'ListingReserved') continue;
            expect(before.status).toBe('available');
            if (before.status !== 'available') return;
            expect(now < matchableUntil(before.creditExpiresAt, DEFAULT_LISTING_POLICY)).toBe(true);
            expect(event.data.faceValueCents <= before.availableFaceValueCents).toBe(true);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('reach every listing fact and status, so the properties above are not vacuous', () => {
    const runs = fc.sample(listingSteps, { numRuns: 300, seed: 42 }).map((sequence) => run(sequence));
    const types = new Set(runs.flatMap(({ history }) => history.map((event) => event.type)));
    const statuses = new Set(
      runs.flatMap(({ history }) => history.reduce<ListingState[]>((states, event) => [...states, evolveListing(states.at(-1) ?? initialListingState, event)], [initialListingState])).map((state) => state.status),
    );
    expect([...types].sort()).toEqual([...LISTING_EVENT_TYPES].sort());
    expect([...statuses].sort()).toEqual([...LISTING_STATUSES].sort());
  });

  it('evolve never throws on histories decide produced, and a fold from scratch equals the running state', () => {
    fc.assert(
      fc.property(listingSteps, (sequence) => {
        const { history, state } = run(sequence);
        expect(foldListingEvents(history)).toEqual(state);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes every event decide produced to JSON that decodes to the same event', () => {
    fc.assert(
      fc.property(listingSteps, (sequence) => {
        for (const event of run(sequence).history) {
          const stored = JSON.parse(JSON.stringify(encodeListingEvent(event))) as { type: string; data: Record<string, unknown> };
          expect(decodeListingEvent(stored)).toStrictEqual(event);
        }
      }),
      { numRuns: 200 },
    );
  });
});

const time = fc.date({ min: new Date(EARLIEST_TIME_MS), max: new Date(LATEST_TIME_MS), noInvalidDate: true });
const cents = fc.bigInt({ min: 0n, max: MAX_CENTS });
const text = fc.string({ minLength: 1, maxLength: 40 });
/** Plain objects, as the decoder builds them (fast-check may otherwise build objects without a prototype). */
const PLAIN = { noNullPrototype: true } as const;

const listingEvent: fc.Arbitrary<ListingEvent> = fc.oneof(
  fc
    .record(
      {
        listingId: text,
        sellerId: text,
        provider: text,
        creditType: fc.constantFrom(...CREDIT_TYPES),
        providerOrgRef: text,
        currency: text,
        claimedFaceValueCents: cents,
        creditExpiresAt: time,
        askPriceCents: cents,
        submittedBy: fc.option(text, { nil: null }),
        submittedAt: time,
      },
      PLAIN,
    )
    .map((data): ListingEvent => ({ type: 'ListingSubmitted', data })),
  fc
    .record(
      {
        listingId: text,
        verifiedBy: text,
        verifiedFaceValueCents: cents,
        verifiedExpiresAt: time,
        evidence: fc.record({ method: text, reference: text, checkedAt: time }, PLAIN),
        verifiedAt: time,
      },
      PLAIN,
    )
    .map((data): ListingEvent => ({ type: 'ListingVerified', data })),
  fc.record({ listingId: text, reason: text, failedAt: time }, PLAIN).map((data): ListingEvent => ({ type: 'ListingVerificationFailed', data })),
  fc.record({ listingId: text, askPriceCents: cents, repricedAt: time }, PLAIN).map((data): ListingEvent => ({ type: 'ListingRepriced', data })),
  fc
    .record({ listingId: text, reason: text, withdrawnFaceValueCents: cents, withdrawnAt: time }, PLAIN)
    .map((data): ListingEvent => ({ type: 'ListingWithdrawn', data })),
  fc
    .record(
      {
        listingId: text,
        dealId: text,
        faceValueCents: cents,
        priceCents: cents,
        match: fc.record({ buyerId: text, brokerId: text, commissionBps: fc.integer({ min: 0, max: 10_000 }), buyRequestId: fc.option(text, { nil: null }) }, PLAIN),
        reservedAt: time,
      },
      PLAIN,
    )
    .map((data): ListingEvent => ({ type: 'ListingReserved', data })),
  fc
    .record({ listingId: text, dealId: text, faceValueCents: cents, reason: text, releasedAt: time }, PLAIN)
    .map((data): ListingEvent => ({ type: 'ListingReservationReleased', data })),
  fc
    .record({ listingId: text, dealId: text, faceValueCents: cents, unsoldFaceValueCents: cents, soldAt: time }, PLAIN)
    .map((data): ListingEvent => ({ type: 'ListingSold', data })),
  fc.record({ listingId: text, expiredFaceValueCents: cents, expiredAt: time }, PLAIN).map((data): ListingEvent => ({ type: 'ListingExpired', data })),
);

describe('listing event codec', () => {
  it('round-trips every event through its stored JSON form', () => {
    fc.assert(
      fc.property(listingEvent, (event) => {
        const stored = JSON.parse(JSON.stringify(encodeListingEvent(event))) as { type: string; data: Record<string, unknown> };
        expect(decodeListingEvent(stored)).toStrictEqual(event);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes a listing submitted before submitters were recorded as submitted by nobody, so only an admin manages it', () => {
    const { submittedBy: _submittedBy, ...legacy } = submittedData();
    const decoded = decodeListingEvent({ type: 'ListingSubmitted', data: legacy });
    expect(decoded).toMatchObject({ type: 'ListingSubmitted', data: { submittedBy: null } });
    expect(encodeListingEvent(decoded).data).not.toHaveProperty('submittedBy');
  });

  it('stores money as decimal strings and times as ISO strings', () => {
    const encoded = encodeListingEvent({
      type: 'ListingReserved',
      data: { listingId: 'l', dealId: 'd', faceValueCents: 125_000n, priceCents: 60_000n, match: MATCH, reservedAt: new Date(Date.UTC(2026, 0, 2)) },
    });
    expect(encoded).toEqual({
      type: 'ListingReserved',
      data: {
        listingId: 'l',
        dealId: 'd',
        faceValueCents: '125000',
        priceCents: '60000',
        match: { buyerId: 'buyer-1', brokerId: 'broker-1', commissionBps: 1_000 },
        reservedAt: '2026-01-02T00:00:00.000Z',
      },
    });
  });

  it.each([
    ['an unknown type', { type: 'ListingTeleported', data: {} }],
    ['a missing field', { type: 'ListingExpired', data: { listingId: 'l', expiredAt: '2026-01-02T00:00:00.000Z' } }],
    ['money as a number', { type: 'ListingExpired', data: { listingId: 'l', expiredFaceValueCents: 5, expiredAt: '2026-01-02T00:00:00.000Z' } }],
    ['a time without a zone', { type: 'ListingExpired', data: { listingId: 'l', expiredFaceValueCents: '5', expiredAt: '2026-01-02T00:00:00' } }],
    ['an unknown credit type', { type: 'ListingSubmitted', data: { ...submittedData(), creditType: 'gift_card' } }],
  ])('refuses to decode %s', (_case, stored) => {
    expect(() => decodeListingEvent(stored)).toThrow(/cannot decode event/);
  });
});

function submittedData(): Record<string, unknown> {
  return encodeListingEvent({
    type: 'ListingSubmitted',
    data: {
      listingId: 'l',
      sellerId: 's',
      provider: 'openai',
      creditType: 'prepaid_api',
      providerOrgRef: 'org',
      currency: 'USD',
      claimedFaceValueCents: 1n,
      creditExpiresAt: new Date(Date.UTC(2026, 5, 1)),
      askPriceCents: 1n,
      submittedBy: 'broker-s',
      submittedAt: new Date(Date.UTC(2026, 0, 1)),
    },
  }).data;
}
