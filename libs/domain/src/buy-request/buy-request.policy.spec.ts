import fc from 'fast-check';
import { at } from '../../../testing/src/given-when-then.js';
import { CREDIT_TYPES } from '../command-fields.js';
import { InvariantViolation } from '../invariant.js';
import type { BuyRequestEvent, BuyRequestPlaced } from './buy-request.events.js';
import { foldBuyRequestEvents } from './buy-request.evolve.js';
import {
  type BuyRequestOffer,
  type BuyRequestTerms,
  DEAL_MISMATCHES,
  MAX_FILLS_PER_BUY_REQUEST,
  OFFER_MISMATCHES,
  compareBuyRequestOffers,
  dealMismatches,
  offerDiscountBps,
  offerFits,
  offerMismatches,
  rankOffersForBuyRequest,
} from './buy-request.policy.js';
import { BUY_REQUEST_STATUSES, type ExistingBuyRequest } from './buy-request.state.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = at('2026-03-02T00:00:00Z');
const DEADLINE = at('2026-04-01T00:00:00Z');
/** The request asks for 30 days of validity: credits must expire at or after this instant. */
const LEAST_EXPIRY = at('2026-04-01T00:00:00Z');

const placed: BuyRequestPlaced = {
  type: 'BuyRequestPlaced',
  data: {
    buyRequestId: 'request-1',
    buyerId: 'buyer-1',
    provider: 'openai',
    creditTypes: ['prepaid_api', 'startup_program'],
    faceValueCents: 1_000_000n,
    maxPriceBps: 6_000,
    minValidityDays: 30,
    deadline: DEADLINE,
    placedBy: 'broker-ana',
    placedAt: at('2026-03-01T00:00:00Z'),
  },
};

/** The request the events leave, which exists: the fit takes only a request that was placed. */
function folded(...events: BuyRequestEvent[]): ExistingBuyRequest {
  const state = foldBuyRequestEvents(events);
  if (state.status === 'none') throw new Error('the spec folded no request');
  return state;
}

const request = folded(placed);

function offer(overrides: Partial<BuyRequestOffer> = {}): BuyRequestOffer {
  return {
    listingId: 'listing-1',
    provider: 'openai',
    creditType: 'prepaid_api',
    faceValueCents: 1_000_000n,
    priceCents: 500_000n,
    creditExpiresAt: at('2026-06-01T00:00:00Z'),
    ...overrides,
  };
}

describe('offerMismatches', () => {
  it('finds nothing wrong with an offer that fits', () => {
    expect(offerMismatches(request, offer(), NOW)).toEqual([]);
    expect(offerFits(request, offer(), NOW)).toBe(true);
  });

  it.each([
    ['provider_differs', offer({ provider: 'anthropic' })],
    ['credit_type_not_accepted', offer({ creditType: 'chatgpt_seats' })],
    ['price_above_ceiling', offer({ priceCents: 600_001n })],
    ['validity_too_short', offer({ creditExpiresAt: new Date(LEAST_EXPIRY.getTime() - 1) })],
    ['face_value_above_unfilled', offer({ faceValueCents: 1_000_001n, priceCents: 1n })],
  ] as const)('names %s', (mismatch, misfit) => {
    expect(offerMismatches(request, misfit, NOW)).toEqual([mismatch]);
    expect(offerFits(request, misfit, NOW)).toBe(false);
  });

  it('names request_not_open for a request that is filled, cancelled or expired', () => {
    const cancelled = folded(placed, { type: 'BuyRequestCancelled', data: { buyRequestId: 'request-1', reason: 'r', cancelledAt: NOW } });
    expect(offerMismatches(cancelled, offer(), NOW)).toEqual(['request_not_open']);
  });

  it('names request_deadline_passed from the deadline on, before any expiry is recorded', () => {
    expect(offerMismatches(request, offer({ creditExpiresAt: at('2026-09-01T00:00:00Z') }), DEADLINE)).toEqual(['request_deadline_passed']);
    expect(offerMismatches(request, offer({ creditExpiresAt: at('2026-09-01T00:00:00Z') }), new Date(DEADLINE.getTime() - 1))).toEqual([]);
  });

  it('names every reason at once, in a stable order', () => {
    const expired = folded(placed, { type: 'BuyRequestExpired', data: { buyRequestId: 'request-1', deadline: DEADLINE, expiredAt: DEADLINE } });
    const misfit = offer({ provider: 'anthropic', creditType: 'fine_tuning', faceValueCents: 2_000_000n, priceCents: 2_000_000n, creditExpiresAt: DEADLINE });
    expect(offerMismatches(expired, misfit, DEADLINE)).toEqual([...OFFER_MISMATCHES]);
  });

  it('fits a price exactly at the ceiling, and not one cent above', () => {
    expect(offerMismatches(request, offer({ priceCents: 600_000n }), NOW)).toEqual([]);
    expect(offerMismatches(request, offer({ priceCents: 600_001n }), NOW)).toEqual(['price_above_ceiling']);
  });

  it('compares the price with the ceiling exactly, without rounding', () => {
    const halfOff: BuyRequestTerms = { ...request, maxPriceBps: 5_000 };
    // 7 cents of face value at 50%: 3.5 cents is the ceiling.
    expect(offerFits(halfOff, offer({ faceValueCents: 7n, priceCents: 3n }), NOW)).toBe(true);
    expect(offerMismatches(halfOff, offer({ faceValueCents: 7n, priceCents: 4n }), NOW)).toEqual(['price_above_ceiling']);
    // 3 cents at 33.33%: 0.9999 cents is the ceiling, so even 1 cent is above it.
    expect(offerMismatches({ ...request, maxPriceBps: 3_333 }, offer({ faceValueCents: 3n, priceCents: 1n }), NOW)).toEqual(['price_above_ceiling']);
    expect(offerFits({ ...request, maxPriceBps: 10_000 }, offer({ priceCents: 1_000_000n }), NOW)).toBe(true);
  });

  it('fits credits with exactly the minimum validity left, and not one millisecond less', () => {
    expect(offerMismatches(request, offer({ creditExpiresAt: LEAST_EXPIRY }), NOW)).toEqual([]);
    expect(offerMismatches(request, offer({ creditExpiresAt: new Date(LEAST_EXPIRY.getTime() - 1) }), NOW)).toEqual(['validity_too_short']);
  });

  it('with a minimum validity of zero days, fits credits that expire now, not credits already expired', () => {
    const anyValidity: BuyRequestTerms = { ...request, minValidityDays: 0 };
    expect(offerFits(anyValidity, offer({ creditExpiresAt: NOW }), NOW)).toBe(true);
    expect(offerMismatches(anyValidity, offer({ creditExpiresAt: new Date(NOW.getTime() - 1) }), NOW)).toEqual(['validity_too_short']);
  });

  it('fits exactly the face value still unfilled, and not one cent more', () => {
    const partly = folded(placed, {
      type: 'BuyRequestFilled',
      data: { buyRequestId: 'request-1', dealId: 'deal-1', faceValueCents: 400_000n, filledFaceValueCents: 400_000n, filledAt: NOW },
    });
    expect(offerFits(partly, offer({ faceValueCents: 600_000n, priceCents: 300_000n }), NOW)).toBe(true);
    expect(offerMismatches(partly, offer({ faceValueCents: 600_001n, priceCents: 300_000n }), NOW)).toEqual(['face_value_above_unfilled']);
  });

  it('crashes on an offer of no face value: the caller built it wrong', () => {
    expect(() => offerMismatches(request, offer({ faceValueCents: 0n }), NOW)).toThrow(InvariantViolation);
  });
});

describe('dealMismatches', () => {
  const deal = (overrides: Partial<BuyRequestOffer & { buyerId: string }> = {}) => ({ ...offer(), buyerId: 'buyer-1', ...overrides });

  it('finds nothing wrong with a deal of the request’s buyer that fits', () => {
    expect(dealMismatches(request, deal(), NOW)).toEqual([]);
  });

  it('names buyer_differs for a deal of another buyer', () => {
    expect(dealMismatches(request, deal({ buyerId: 'buyer-2' }), NOW)).toEqual(['buyer_differs']);
  });

  it('names the offer’s own mismatches', () => {
    expect(dealMismatches(request, deal({ provider: 'anthropic', priceCents: 600_001n }), NOW)).toEqual(['provider_differs', 'price_above_ceiling']);
  });

  it('names request_fill_limit_reached when the request takes no more fills, released ones counted', () => {
    const fills: BuyRequestEvent[] = Array.from({ length: MAX_FILLS_PER_BUY_REQUEST }, (_, index) => ({
      type: 'BuyRequestFilled',
      data: { buyRequestId: 'request-1', dealId: `deal-${index}`, faceValueCents: 1n, filledFaceValueCents: BigInt(index + 1), filledAt: NOW },
    }));
    const released: BuyRequestEvent = {
      type: 'BuyRequestFillReleased',
      data: { buyRequestId: 'request-1', dealId: 'deal-0', faceValueCents: 1n, filledFaceValueCents: BigInt(MAX_FILLS_PER_BUY_REQUEST - 1), releasedAt: NOW },
    };
    expect(dealMismatches(folded(placed, ...fills, released), deal({ faceValueCents: 10n, priceCents: 1n }), NOW)).toEqual(['request_fill_limit_reached']);
  });

  it('names every reason at once, in a stable order', () => {
    const expired = folded(placed, { type: 'BuyRequestExpired', data: { buyRequestId: 'request-1', deadline: DEADLINE, expiredAt: DEADLINE } });
    const misfit = deal({ buyerId: 'buyer-2', provider: 'anthropic', creditType: 'fine_tuning', faceValueCents: 2_000_000n, priceCents: 2_000_000n, creditExpiresAt: DEADLINE });
    expect(dealMismatches(expired, misfit, DEADLINE)).toEqual(DEAL_MISMATCHES.filter((mismatch) => mismatch !== 'request_fill_limit_reached'));
  });
});

describe('compareBuyRequestOffers', () => {
  const expiry = at('2026-06-01T00:00:00Z');
  const sooner = at('2026-05-01T00:00:00Z');

  it('ranks the lowest price per face value first, whatever the sizes', () => {
    const bigButCheaper = offer({ listingId: 'z', faceValueCents: 1_000_000n, priceCents: 499_999n });
    const smallAtHalf = offer({ listingId: 'a', faceValueCents: 2n, priceCents: 1n });
    expect(compareBuyRequestOffers(bigButCheaper, smallAtHalf)).toBeLessThan(0);
    expect(compareBuyRequestOffers(smallAtHalf, bigButCheaper)).toBeGreaterThan(0);
  });

  it('at the same price per face value, ranks the credits that expire soonest first', () => {
    expect(compareBuyRequestOffers(offer({ listingId: 'z', creditExpiresAt: sooner }), offer({ listingId: 'a', creditExpiresAt: expiry }))).toBeLessThan(0);
  });

  it('then the largest face value, then the listing id', () => {
    const large = offer({ listingId: 'z', faceValueCents: 1_000_000n, priceCents: 500_000n });
    const small = offer({ listingId: 'a', faceValueCents: 500_000n, priceCents: 250_000n });
    expect(compareBuyRequestOffers(large, small)).toBeLessThan(0);
    expect(compareBuyRequestOffers(offer({ listingId: 'a' }), offer({ listingId: 'b' }))).toBeLessThan(0);
    expect(compareBuyRequestOffers(offer({ listingId: 'a' }), offer({ listingId: 'a' }))).toBe(0);
  });

  it('ranks only fitting offers, best first', () => {
    const offers = [
      offer({ listingId: 'expensive', priceCents: 600_000n }),
      offer({ listingId: 'other-provider', provider: 'anthropic', priceCents: 1n }),
      offer({ listingId: 'cheap', priceCents: 400_000n }),
      offer({ listingId: 'too-expensive', priceCents: 600_001n }),
    ];
    expect(rankOffersForBuyRequest(request, offers, NOW).map(({ listingId }) => listingId)).toEqual(['cheap', 'expensive']);
  });
});

describe('offerDiscountBps', () => {
  it.each([
    [1_000_000n, 500_000n, 5_000],
    [1_000_000n, 1_000_000n, 0],
    [3n, 2n, 3_333],
    [3n, 4n, -3_334],
    [1_000_000n, 0n, 10_000],
  ])('of %p cents of face value at %p cents is %p basis points, rounded down', (faceValueCents, priceCents, expected) => {
    expect(offerDiscountBps({ faceValueCents, priceCents })).toBe(expected);
  });
});

const PROVIDERS = ['openai', 'anthropic'];

/** Small domains, so that ties in every part of the ranking happen often. */
const requestTerms: fc.Arbitrary<BuyRequestTerms> = fc
  .record({
    status: fc.oneof({ arbitrary: fc.constant('open' as const), weight: 6 }, { arbitrary: fc.constantFrom(...BUY_REQUEST_STATUSES.filter((status) => status !== 'none' && status !== 'open')), weight: 1 }),
    provider: fc.constantFrom(...PROVIDERS),
    creditTypes: fc.shuffledSubarray([...CREDIT_TYPES], { minLength: 1 }),
    faceValueCents: fc.bigInt({ min: 1n, max: 1_000n }),
    filledPart: fc.integer({ min: 0, max: 100 }),
    maxPriceBps: fc.integer({ min: 1, max: 10_000 }),
    minValidityDays: fc.integer({ min: 0, max: 30 }),
    deadlineMs: fc.integer({ min: -DAY_MS, max: 30 * DAY_MS }),
  })
  .map(({ faceValueCents, filledPart, deadlineMs, ...terms }) => ({
    ...terms,
    faceValueCents,
    filledFaceValueCents: (faceValueCents * BigInt(filledPart)) / 100n,
    deadline: new Date(NOW.getTime() + deadlineMs),
  }));

function offers(minLength: number): fc.Arbitrary<BuyRequestOffer[]> {
  return fc
    .array(
      fc.record({
        provider: fc.constantFrom(...PROVIDERS),
        creditType: fc.constantFrom(...CREDIT_TYPES),
        faceValueCents: fc.constantFrom(1n, 2n, 3n, 10n, 100n, 500n, 1_000n),
        pricePart: fc.constantFrom(0n, 1n, 25n, 50n, 60n, 99n, 100n, 120n),
        expiryDays: fc.integer({ min: -1, max: 60 }),
      }),
      { minLength, maxLength: 30 },
    )
    .map((drafts) =>
      drafts.map(({ faceValueCents, pricePart, expiryDays, ...rest }, index) => ({
        ...rest,
        listingId: `listing-${index}`,
        faceValueCents,
        priceCents: (faceValueCents * pricePart) / 100n,
        creditExpiresAt: new Date(NOW.getTime() + expiryDays * DAY_MS),
      })),
    );
}

/** Each rule of the fit written out again, plainly. */
function satisfiesEveryConstraint(terms: BuyRequestTerms, candidate: BuyRequestOffer, now: Date): boolean {
  return (
    candidate.provider === terms.provider &&
    terms.creditTypes.includes(candidate.creditType) &&
    candidate.priceCents * 10_000n <= BigInt(terms.maxPriceBps) * candidate.faceValueCents &&
    candidate.creditExpiresAt.getTime() - now.getTime() >= terms.minValidityDays * DAY_MS &&
    candidate.faceValueCents <= terms.faceValueCents - terms.filledFaceValueCents &&
    terms.status === 'open' &&
    now < terms.deadline
  );
}

describe('ranking properties', () => {
  it('whatever the ranking puts first satisfies every constraint, and no fitting offer ranks before it', () => {
    fc.assert(
      fc.property(requestTerms, offers(0), (terms, candidates) => {
        const ranked = rankOffersForBuyRequest(terms, candidates, NOW);
        const sortedThenFiltered = [...candidates].sort(compareBuyRequestOffers).filter((candidate) => offerFits(terms, candidate, NOW));
        expect(ranked).toEqual(sortedThenFiltered);
        expect(ranked.length).toBe(candidates.filter((candidate) => satisfiesEveryConstraint(terms, candidate, NOW)).length);
        const best = ranked[0];
        if (best === undefined) return;
        expect(satisfiesEveryConstraint(terms, best, NOW)).toBe(true);
        for (const other of ranked) expect(compareBuyRequestOffers(best, other)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('the fit names a reason exactly when a constraint is broken', () => {
    fc.assert(
      fc.property(requestTerms, offers(1), (terms, candidates) => {
        for (const candidate of candidates) expect(offerMismatches(terms, candidate, NOW).length === 0).toBe(satisfiesEveryConstraint(terms, candidate, NOW));
      }),
      { numRuns: 300 },
    );
  });

  it('the comparator is a total order: reflexive, antisymmetric, transitive, and no two listings tie', () => {
    fc.assert(
      fc.property(offers(3), (candidates) => {
        for (const a of candidates) {
          expect(compareBuyRequestOffers(a, a)).toBe(0);
          for (const b of candidates) {
            const ab = compareBuyRequestOffers(a, b);
            expect(Math.sign(ab) + Math.sign(compareBuyRequestOffers(b, a))).toBe(0);
            if (a.listingId !== b.listingId) expect(ab).not.toBe(0);
            for (const c of candidates) {
              if (ab <= 0 && compareBuyRequestOffers(b, c) <= 0) expect(compareBuyRequestOffers(a, c)).toBeLessThanOrEqual(0);
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ranks by price per face value first, exactly as fractions', () => {
    fc.assert(
      fc.property(offers(2), ([a, b]) => {
        if (a === undefined || b === undefined) return;
        const cheaper = a.priceCents * b.faceValueCents < b.priceCents * a.faceValueCents;
        if (cheaper) expect(compareBuyRequestOffers(a, b)).toBeLessThan(0);
      }),
      { numRuns: 300 },
    );
  });
});
