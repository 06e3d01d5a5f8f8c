import { at, deciderSpec } from '../../../testing/src/given-when-then.js';
import { DomainError } from '../domain-error.js';
import { InvariantViolation } from '../invariant.js';
import { MAX_RESERVATIONS_PER_LISTING } from '../limits.js';
import type {
  ExpireListing,
  FailListingVerification,
  ReleaseListingReservation,
  RepriceListing,
  ReserveListing,
  SellListingReservation,
  SubmitListing,
  VerifyListing,
  WithdrawListing,
} from './listing.commands.js';
import type {
  ListingEvent,
  ListingExpired,
  ListingRepriced,
  ListingReservationReleased,
  ListingReserved,
  ListingSold,
  ListingSubmitted,
  ListingVerificationFailed,
  ListingVerified,
  ListingWithdrawn,
} from './listing.events.js';
import { decideListing } from './listing.decide.js';
import { createListingDecider, listingDecider } from './listing.decider.js';
import { foldListingEvents } from './listing.evolve.js';

const MATCH = { buyerId: 'buyer-1', brokerId: 'broker-1', commissionBps: 1_000, buyRequestId: null } as const;

const LISTING_ID = 'listing-1';
const SUBMITTED_AT = at('2026-03-01T00:00:00Z');
const VERIFIED_AT = at('2026-03-01T06:00:00Z');
const NOW = at('2026-03-02T00:00:00Z');
const CREDIT_EXPIRY = at('2026-06-01T00:00:00Z');
/** The credit expiry minus the default 72-hour margin. */
const MATCHABLE_UNTIL = at('2026-05-29T00:00:00Z');
const JUST_BEFORE_MATCHABLE_UNTIL = at('2026-05-28T23:59:59.999Z');

const spec = deciderSpec(listingDecider);

const listingSubmitted: ListingSubmitted = {
  type: 'ListingSubmitted',
  data: {
    listingId: LISTING_ID,
    sellerId: 'seller-1',
    provider: 'openai',
    creditType: 'prepaid_api',
    providerOrgRef: 'org-abc123',
    currency: 'USD',
    claimedFaceValueCents: 1_000_000n,
    creditExpiresAt: CREDIT_EXPIRY,
    askPriceCents: 600_000n,
    submittedBy: 'broker-ana',
    submittedAt: SUBMITTED_AT,
  },
};

const listingVerified: ListingVerified = {
  type: 'ListingVerified',
  data: {
    listingId: LISTING_ID,
    verifiedBy: 'broker-1',
    verifiedFaceValueCents: 800_000n,
    verifiedExpiresAt: CREDIT_EXPIRY,
    evidence: { method: 'provider_console', reference: 'ticket-42', checkedAt: at('2026-03-01T05:00:00Z') },
    verifiedAt: VERIFIED_AT,
  },
};

function listingReserved(dealId: string, faceValueCents: bigint, priceCents = (faceValueCents + 1n) / 2n): ListingReserved {
  return { type: 'ListingReserved', data: { listingId: LISTING_ID, dealId, faceValueCents, priceCents, match: MATCH, reservedAt: VERIFIED_AT } };
}

function reservationReleased(dealId: string, faceValueCents: bigint, releasedAt = NOW): ListingReservationReleased {
  return { type: 'ListingReservationReleased', data: { listingId: LISTING_ID, dealId, faceValueCents, reason: 'deal_rejected', releasedAt } };
}

function listingSold(dealId: string, faceValueCents: bigint, unsoldFaceValueCents = 0n, soldAt = NOW): ListingSold {
  return { type: 'ListingSold', data: { listingId: LISTING_ID, dealId, faceValueCents, unsoldFaceValueCents, soldAt } };
}

function listingWithdrawn(withdrawnFaceValueCents: bigint, withdrawnAt = NOW): ListingWithdrawn {
  return { type: 'ListingWithdrawn', data: { listingId: LISTING_ID, reason: 'seller used the credits', withdrawnFaceValueCents, withdrawnAt } };
}

function listingExpired(expiredFaceValueCents: bigint, expiredAt = MATCHABLE_UNTIL): ListingExpired {
  return { type: 'ListingExpired', data: { listingId: LISTING_ID, expiredFaceValueCents, expiredAt } };
}

const verificationFailed: ListingVerificationFailed = {
  type: 'ListingVerificationFailed',
  data: { listingId: LISTING_ID, reason: 'organisation not found', failedAt: VERIFIED_AT },
};

function submitListing(overrides: Partial<SubmitListing> = {}): SubmitListing {
  return {
    type: 'SubmitListing',
    submittedBy: 'broker-ana',
    listingId: LISTING_ID,
    sellerId: 'seller-1',
    provider: 'openai',
    creditType: 'prepaid_api',
    providerOrgRef: 'org-abc123',
    currency: 'USD',
    claimedFaceValueCents: 1_000_000n,
    creditExpiresAt: CREDIT_EXPIRY,
    askPriceCents: 600_000n,
    ...overrides,
  };
}

function verifyListing(overrides: Partial<VerifyListing> = {}): VerifyListing {
  return {
    type: 'VerifyListing',
    listingId: LISTING_ID,
    verifiedBy: 'broker-1',
    verifiedFaceValueCents: 800_000n,
    verifiedExpiresAt: CREDIT_EXPIRY,
    evidence: { method: 'provider_console', reference: 'ticket-42', checkedAt: at('2026-03-01T05:00:00Z') },
    ...overrides,
  };
}

function failVerification(reason = 'organisation not found'): FailListingVerification {
  return { type: 'FailListingVerification', listingId: LISTING_ID, reason };
}

function repriceListing(askPriceCents: bigint): RepriceListing {
  return { type: 'RepriceListing', listingId: LISTING_ID, askPriceCents };
}

function withdrawListing(reason = 'seller used the credits'): WithdrawListing {
  return { type: 'WithdrawListing', listingId: LISTING_ID, reason };
}

function reserveListing(dealId: string, faceValueCents: bigint, priceCents = (faceValueCents + 1n) / 2n): ReserveListing {
  return { type: 'ReserveListing', listingId: LISTING_ID, dealId, faceValueCents, priceCents, match: MATCH };
}

function releaseReservation(dealId: string, reason = 'deal_rejected'): ReleaseListingReservation {
  return { type: 'ReleaseListingReservation', listingId: LISTING_ID, dealId, reason };
}

function sellReservation(dealId: string, faceValueCents: bigint): SellListingReservation {
  return { type: 'SellListingReservation', listingId: LISTING_ID, dealId, faceValueCents };
}

const expireListing: ExpireListing = { type: 'ExpireListing', listingId: LISTING_ID };

const onMarket: ListingEvent[] = [listingSubmitted, listingVerified];

describe('SubmitListing', () => {
  it('records the seller’s claim and who submitted it', () => {
    const state = spec.given().when(submitListing(), SUBMITTED_AT).then(listingSubmitted);
    expect(state).toMatchObject({ status: 'submitted', verifiedFaceValueCents: 0n, availableFaceValueCents: 0n, submittedBy: 'broker-ana' });
  });

  it('refuses a listing that exists', () => {
    spec.given(listingSubmitted).when(submitListing(), NOW).thenFails('LISTING_ALREADY_EXISTS');
  });

  it('refuses credits that expire inside the safety margin', () => {
    spec.given().when(submitListing(), MATCHABLE_UNTIL).thenFails('LISTING_EXPIRED');
  });

  it.each([
    ['INVALID_ID', { listingId: '' }],
    ['INVALID_ID', { sellerId: 'x'.repeat(101) }],
    ['INVALID_ID', { submittedBy: '' }],
    ['INVALID_PROVIDER', { provider: 'OpenAI' }],
    ['INVALID_CREDIT_TYPE', { creditType: 'gift_card' as SubmitListing['creditType'] }],
    ['INVALID_TEXT', { providerOrgRef: '  ' }],
    ['INVALID_CURRENCY', { currency: 'usd' }],
    ['INVALID_AMOUNT', { claimedFaceValueCents: 0n }],
    ['INVALID_AMOUNT', { askPriceCents: -1n }],
    ['INVALID_TIME', { creditExpiresAt: new Date(Number.NaN) }],
  ] as const)('refuses with %s a command field out of bounds: %p', (code, overrides) => {
    spec.given().when(submitListing(overrides), SUBMITTED_AT).thenFails(code);
  });
});

describe('VerifyListing', () => {
  it('records the verified face value, which may be below the claim, and makes the listing available', () => {
    const state = spec.given(listingSubmitted).when(verifyListing(), VERIFIED_AT).then(listingVerified);
    expect(state).toMatchObject({ status: 'available', claimedFaceValueCents: 1_000_000n, verifiedFaceValueCents: 800_000n, availableFaceValueCents: 800_000n });
  });

  it('takes the verified credit expiry over the claimed one', () => {
    const verifiedExpiresAt = at('2026-05-01T00:00:00Z');
    const state = spec
      .given(listingSubmitted)
      .when(verifyListing({ verifiedExpiresAt }), VERIFIED_AT)
      .then({ ...listingVerified, data: { ...listingVerified.data, verifiedExpiresAt } });
    expect(state).toMatchObject({ creditExpiresAt: verifiedExpiresAt });
  });

  it('refuses an unknown listing', () => {
    spec.given().when(verifyListing(), VERIFIED_AT).thenFails('LISTING_NOT_FOUND');
  });

  it('refuses a second verification', () => {
    spec.given(...onMarket).when(verifyListing(), NOW).thenFails('LISTING_ALREADY_VERIFIED');
  });

  it('refuses a listing that is no longer awaiting verification', () => {
    spec.given(listingSubmitted, verificationFailed).when(verifyListing(), NOW).thenFails('LISTING_NOT_SUBMITTED');
  });

  it('refuses a verified face value above the claim', () => {
    spec.given(listingSubmitted).when(verifyListing({ verifiedFaceValueCents: 1_000_001n }), VERIFIED_AT).thenFails('LISTING_VERIFIED_FACE_VALUE_EXCEEDS_CLAIM');
  });

  it('refuses credits whose verified expiry falls inside the safety margin', () => {
    spec.given(listingSubmitted).when(verifyListing({ verifiedExpiresAt: at('2026-03-04T05:59:59Z') }), VERIFIED_AT).thenFails('LISTING_EXPIRED');
  });

  it.each([
    ['INVALID_ID', { verifiedBy: '' }],
    ['INVALID_AMOUNT', { verifiedFaceValueCents: 0n }],
    ['INVALID_TIME', { verifiedExpiresAt: new Date(Number.NaN) }],
    ['INVALID_TEXT', { evidence: { method: '', reference: 'ticket-42', checkedAt: VERIFIED_AT } }],
    ['INVALID_TIME', { evidence: { method: 'provider_console', reference: 'ticket-42', checkedAt: new Date(Number.NaN) } }],
  ] as const)('refuses with %s a command field out of bounds: %p', (code, overrides) => {
    spec.given(listingSubmitted).when(verifyListing(overrides), VERIFIED_AT).thenFails(code);
  });
});

describe('FailListingVerification', () => {
  it('rejects the listing', () => {
    const state = spec.given(listingSubmitted).when(failVerification(), VERIFIED_AT).then(verificationFailed);
    expect(state.status).toBe('rejected');
  });

  it('refuses an unknown listing', () => {
    spec.given().when(failVerification(), VERIFIED_AT).thenFails('LISTING_NOT_FOUND');
  });

  it('refuses a verified listing', () => {
    spec.given(...onMarket).when(failVerification(), NOW).thenFails('LISTING_ALREADY_VERIFIED');
  });

  it('refuses a listing withdrawn before verification', () => {
    spec.given(listingSubmitted, listingWithdrawn(0n)).when(failVerification(), NOW).thenFails('LISTING_NOT_SUBMITTED');
  });

  it('refuses an empty reason', () => {
    spec.given(listingSubmitted).when(failVerification(''), NOW).thenFails('INVALID_TEXT');
  });
});

describe('RepriceListing', () => {
  const repriced: ListingRepriced = { type: 'ListingRepriced', data: { listingId: LISTING_ID, askPriceCents: 550_000n, repricedAt: NOW } };

  it('records a new ask price on a submitted or available listing', () => {
    spec.given(listingSubmitted).when(repriceListing(550_000n), NOW).then(repriced);
    expect(spec.given(...onMarket).when(repriceListing(550_000n), NOW).then(repriced)).toMatchObject({ askPriceCents: 550_000n });
  });

  it('records nothing for the price it already has', () => {
    spec.given(...onMarket).when(repriceListing(600_000n), NOW).then();
  });

  it('refuses an unknown listing', () => {
    spec.given().when(repriceListing(550_000n), NOW).thenFails('LISTING_NOT_FOUND');
  });

  it('refuses a closed listing', () => {
    spec.given(...onMarket, listingWithdrawn(800_000n)).when(repriceListing(550_000n), NOW).thenFails('LISTING_CLOSED');
  });

  it('refuses a zero price', () => {
    spec.given(...onMarket).when(repriceListing(0n), NOW).thenFails('INVALID_AMOUNT');
  });
});

describe('WithdrawListing', () => {
  it('withdraws the unreserved part only; open reservations stay', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 300_000n))
      .when(withdrawListing(), NOW)
      .then(listingWithdrawn(500_000n));
    expect(state).toMatchObject({ status: 'withdrawn', availableFaceValueCents: 0n, reservedFaceValueCents: 300_000n, withdrawnFaceValueCents: 500_000n });
  });

  it('lets an open reservation of a withdrawn listing be sold', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 300_000n), listingWithdrawn(500_000n))
      .when(sellReservation('deal-1', 300_000n), NOW)
      .then(listingSold('deal-1', 300_000n));
    expect(state).toMatchObject({ status: 'withdrawn', soldFaceValueCents: 300_000n, reservedFaceValueCents: 0n });
  });

  it('never puts released face value of a withdrawn listing back on the market', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 300_000n), listingWithdrawn(500_000n))
      .when(releaseReservation('deal-1'), NOW)
      .then(reservationReleased('deal-1', 300_000n));
    expect(state).toMatchObject({ status: 'withdrawn', availableFaceValueCents: 0n, withdrawnFaceValueCents: 800_000n });
  });

  it('refuses an unknown listing', () => {
    spec.given().when(withdrawListing(), NOW).thenFails('LISTING_NOT_FOUND');
  });

  it('refuses a closed listing', () => {
    spec.given(...onMarket, listingExpired(800_000n)).when(withdrawListing(), MATCHABLE_UNTIL).thenFails('LISTING_CLOSED');
  });

  it('refuses an empty reason', () => {
    spec.given(...onMarket).when(withdrawListing(' '), NOW).thenFails('INVALID_TEXT');
  });
});

describe('ReserveListing', () => {
  it('reserves face value of a verified listing for a deal', () => {
    const state = spec.given(...onMarket).when(reserveListing('deal-1', 300_000n), NOW).then({
      type: 'ListingReserved',
      data: { listingId: LISTING_ID, dealId: 'deal-1', faceValueCents: 300_000n, priceCents: 150_000n, match: MATCH, reservedAt: NOW },
    });
    expect(state).toMatchObject({ status: 'available', availableFaceValueCents: 500_000n, reservedFaceValueCents: 300_000n });
  });

  it('fills partially: several deals reserve one listing and the remainder stays matchable', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 300_000n))
      .when(reserveListing('deal-2', 500_000n), JUST_BEFORE_MATCHABLE_UNTIL)
      .then({
        type: 'ListingReserved',
        data: { listingId: LISTING_ID, dealId: 'deal-2', faceValueCents: 500_000n, priceCents: 250_000n, match: MATCH, reservedAt: JUST_BEFORE_MATCHABLE_UNTIL },
      });
    expect(state).toMatchObject({ status: 'available', availableFaceValueCents: 0n, reservedFaceValueCents: 800_000n });
  });

  it('records nothing when the deal already reserved the same amounts', () => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n)).when(reserveListing('deal-1', 300_000n), NOW).then();
  });

  it('records nothing when the deal’s same reservation already ended (a rerun after the fact)', () => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n), reservationReleased('deal-1', 300_000n)).when(reserveListing('deal-1', 300_000n), NOW).then();
  });

  it('refuses other amounts for a deal that already reserved', () => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n)).when(reserveListing('deal-1', 300_000n, 140_000n), NOW).thenFails('LISTING_ALREADY_RESERVED_FOR_DEAL');
  });

  it('refuses an unknown listing', () => {
    spec.given().when(reserveListing('deal-1', 1n), NOW).thenFails('LISTING_NOT_FOUND');
  });

  it('refuses credits that are not verified', () => {
    spec.given(listingSubmitted).when(reserveListing('deal-1', 1n), NOW).thenFails('LISTING_NOT_VERIFIED');
    spec.given(listingSubmitted, verificationFailed).when(reserveListing('deal-1', 1n), NOW).thenFails('LISTING_NOT_VERIFIED');
  });

  it('refuses at the credit expiry minus the margin, even before ListingExpired is recorded', () => {
    spec.given(...onMarket).when(reserveListing('deal-1', 1n), MATCHABLE_UNTIL).thenFails('LISTING_EXPIRED');
  });

  it('refuses an expired listing', () => {
    spec.given(...onMarket, listingExpired(800_000n)).when(reserveListing('deal-1', 1n), MATCHABLE_UNTIL).thenFails('LISTING_EXPIRED');
  });

  it('refuses a withdrawn or sold-out listing', () => {
    spec.given(...onMarket, listingWithdrawn(800_000n)).when(reserveListing('deal-1', 1n), NOW).thenFails('LISTING_NOT_AVAILABLE');
    spec
      .given(...onMarket, listingReserved('deal-1', 800_000n), listingSold('deal-1', 800_000n))
      .when(reserveListing('deal-2', 1n), NOW)
      .thenFails('LISTING_NOT_AVAILABLE');
  });

  it('refuses more face value than is available', () => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n)).when(reserveListing('deal-2', 500_001n), NOW).thenFails('INSUFFICIENT_AVAILABLE_CREDITS');
  });

  it(`refuses reservation number ${MAX_RESERVATIONS_PER_LISTING + 1}`, () => {
    const reservations = Array.from({ length: MAX_RESERVATIONS_PER_LISTING }, (_, index) => listingReserved(`deal-${index}`, 1n, 1n));
    spec.given(...onMarket, ...reservations).when(reserveListing('deal-last', 1n, 1n), NOW).thenFails('LISTING_RESERVATION_LIMIT_REACHED');
  });

  it.each([
    ['INVALID_ID', reserveListing('', 1n)],
    ['INVALID_AMOUNT', reserveListing('deal-1', 0n)],
    ['INVALID_AMOUNT', reserveListing('deal-1', 10n, 0n)],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(...onMarket).when(command, NOW).thenFails(code);
  });
});

describe('ReleaseListingReservation', () => {
  it('returns the whole reservation to the market', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 300_000n))
      .when(releaseReservation('deal-1'), NOW)
      .then(reservationReleased('deal-1', 300_000n));
    expect(state).toMatchObject({ status: 'available', availableFaceValueCents: 800_000n, reservedFaceValueCents: 0n });
  });

  it('sends released face value of an expired listing to the expired part', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 300_000n), listingExpired(500_000n))
      .when(releaseReservation('deal-1'), MATCHABLE_UNTIL)
      .then(reservationReleased('deal-1', 300_000n, MATCHABLE_UNTIL));
    expect(state).toMatchObject({ status: 'expired', availableFaceValueCents: 0n, expiredFaceValueCents: 800_000n });
  });

  it('records nothing for a reservation already released', () => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n), reservationReleased('deal-1', 300_000n)).when(releaseReservation('deal-1'), NOW).then();
  });

  it('refuses a deal that holds no reservation', () => {
    spec.given(...onMarket).when(releaseReservation('deal-1'), NOW).thenFails('RESERVATION_NOT_FOUND');
  });

  it('refuses a reservation that was sold', () => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n), listingSold('deal-1', 300_000n)).when(releaseReservation('deal-1'), NOW).thenFails('RESERVATION_CLOSED');
  });

  it('refuses an unknown listing', () => {
    spec.given().when(releaseReservation('deal-1'), NOW).thenFails('LISTING_NOT_FOUND');
  });

  it.each([
    ['INVALID_ID', releaseReservation('')],
    ['INVALID_TEXT', releaseReservation('deal-1', '')],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n)).when(command, NOW).thenFails(code);
  });
});

describe('SellListingReservation', () => {
  it('sells the confirmed face value; the listing is sold out when nothing is left or reserved', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 800_000n))
      .when(sellReservation('deal-1', 800_000n), NOW)
      .then(listingSold('deal-1', 800_000n));
    expect(state).toMatchObject({ status: 'sold_out', soldFaceValueCents: 800_000n, availableFaceValueCents: 0n, reservedFaceValueCents: 0n, soldOutAt: NOW });
  });

  it('returns the unconfirmed rest of the reservation to the market', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 800_000n))
      .when(sellReservation('deal-1', 700_000n), NOW)
      .then(listingSold('deal-1', 700_000n, 100_000n));
    expect(state).toMatchObject({ status: 'available', soldFaceValueCents: 700_000n, availableFaceValueCents: 100_000n });
  });

  it('stays available while another deal holds a reservation', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 500_000n), listingReserved('deal-2', 300_000n))
      .when(sellReservation('deal-1', 500_000n), NOW)
      .then(listingSold('deal-1', 500_000n));
    expect(state).toMatchObject({ status: 'available', availableFaceValueCents: 0n, reservedFaceValueCents: 300_000n });
  });

  it('sells a reservation of an expired listing (the deal confirmed its transfer inside the safety margin)', () => {
    const soldAt = at('2026-05-30T00:00:00Z');
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 300_000n), listingExpired(500_000n))
      .when(sellReservation('deal-1', 200_000n), soldAt)
      .then(listingSold('deal-1', 200_000n, 100_000n, soldAt));
    expect(state).toMatchObject({ status: 'expired', soldFaceValueCents: 200_000n, expiredFaceValueCents: 600_000n });
  });

  it('records nothing for a sale already recorded', () => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n), listingSold('deal-1', 300_000n)).when(sellReservation('deal-1', 300_000n), NOW).then();
  });

  it('refuses more than the reservation', () => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n)).when(sellReservation('deal-1', 300_001n), NOW).thenFails('SALE_EXCEEDS_RESERVATION');
  });

  it('refuses a deal that holds no reservation', () => {
    spec.given(...onMarket).when(sellReservation('deal-1', 1n), NOW).thenFails('RESERVATION_NOT_FOUND');
  });

  it('refuses a reservation that was released', () => {
    spec
      .given(...onMarket, listingReserved('deal-1', 300_000n), reservationReleased('deal-1', 300_000n))
      .when(sellReservation('deal-1', 300_000n), NOW)
      .thenFails('RESERVATION_CLOSED');
  });

  it('refuses an unknown listing', () => {
    spec.given().when(sellReservation('deal-1', 1n), NOW).thenFails('LISTING_NOT_FOUND');
  });

  it.each([
    ['INVALID_ID', sellReservation('', 1n)],
    ['INVALID_AMOUNT', sellReservation('deal-1', 0n)],
  ] as const)('refuses with %s a command field out of bounds', (code, command) => {
    spec.given(...onMarket, listingReserved('deal-1', 300_000n)).when(command, NOW).thenFails(code);
  });
});

describe('ExpireListing', () => {
  it('records at the credit expiry minus the margin that the available part is lost', () => {
    const state = spec
      .given(...onMarket, listingReserved('deal-1', 300_000n))
      .when(expireListing, MATCHABLE_UNTIL)
      .then(listingExpired(500_000n));
    expect(state).toMatchObject({ status: 'expired', availableFaceValueCents: 0n, reservedFaceValueCents: 300_000n, expiredFaceValueCents: 500_000n });
  });

  it('expires a listing still awaiting verification', () => {
    spec.given(listingSubmitted).when(expireListing, MATCHABLE_UNTIL).then(listingExpired(0n));
  });

  it('records nothing for a listing already expired (the worker may run again)', () => {
    spec.given(...onMarket, listingExpired(800_000n)).when(expireListing, at('2026-05-30T00:00:00Z')).then();
  });

  it('refuses before the credit expiry minus the margin', () => {
    spec.given(...onMarket).when(expireListing, JUST_BEFORE_MATCHABLE_UNTIL).thenFails('LISTING_EXPIRY_NOT_REACHED');
  });

  it('refuses a closed listing', () => {
    spec.given(...onMarket, listingWithdrawn(800_000n)).when(expireListing, MATCHABLE_UNTIL).thenFails('LISTING_CLOSED');
  });

  it('refuses an unknown listing', () => {
    spec.given().when(expireListing, MATCHABLE_UNTIL).thenFails('LISTING_NOT_FOUND');
  });

  it('follows the configured margin', () => {
    const oneHourMargin = deciderSpec(createListingDecider({ expiryMarginMs: 60 * 60 * 1000 }));
    oneHourMargin.given(...onMarket).when(expireListing, MATCHABLE_UNTIL).thenFails('LISTING_EXPIRY_NOT_REACHED');
    oneHourMargin.given(...onMarket).when(expireListing, at('2026-05-31T23:00:00Z')).then(listingExpired(800_000n, at('2026-05-31T23:00:00Z')));
  });
});

describe('programmer errors', () => {
  it('crash with an assertion, not a DomainError, when a command meets another listing’s state', () => {
    const state = foldListingEvents(onMarket);
    const decide = () => decideListing(state, { ...withdrawListing(), listingId: 'listing-2' }, NOW);
    expect(decide).toThrow(InvariantViolation);
    expect(decide).not.toThrow(DomainError);
  });

  it('crash when the policy is nonsense', () => {
    expect(() => decideListing(foldListingEvents(onMarket), expireListing, NOW, { expiryMarginMs: -1 })).toThrow(InvariantViolation);
  });

  it('crash when folding a history decide could not have produced', () => {
    expect(() => foldListingEvents([listingSubmitted, listingReserved('deal-1', 1n)])).toThrow(InvariantViolation);
    expect(() => foldListingEvents([...onMarket, listingReserved('deal-1', 900_000n)])).toThrow(InvariantViolation);
  });
});
