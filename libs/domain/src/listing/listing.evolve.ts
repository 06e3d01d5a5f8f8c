/**
 * Folds listing facts into state. Pure, reads no clock, and never throws on
 * a history the decider produced; a history it could not have produced
 * (a sale of an unknown reservation, face value out of balance) is a broken
 * invariant and crashes.
 */
import { assertNever, invariant } from '../invariant.js';
import type { Cents } from '../money.js';
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
import { type ClosedListingReservation, type ExistingListing, type ListingState, initialListingState } from './listing.state.js';

export function evolveListing(state: ListingState, event: ListingEvent): ListingState {
  const next = applyEvent(state, event);
  assertFaceValueConserved(next);
  return next;
}

/** Folds a whole stream from the start. */
export function foldListingEvents(events: readonly ListingEvent[]): ListingState {
  return events.reduce(evolveListing, initialListingState);
}

function applyEvent(state: ListingState, event: ListingEvent): ListingState {
  switch (event.type) {
    case 'ListingSubmitted':
      return onSubmitted(state, event);
    case 'ListingVerified':
      return onVerified(state, event);
    case 'ListingVerificationFailed':
      return onVerificationFailed(state, event);
    case 'ListingRepriced':
      return onRepriced(state, event);
    case 'ListingWithdrawn':
      return onWithdrawn(state, event);
    case 'ListingReserved':
      return onReserved(state, event);
    case 'ListingReservationReleased':
      return onReservationReleased(state, event);
    case 'ListingSold':
      return onSold(state, event);
    case 'ListingExpired':
      return onExpired(state, event);
    default:
      return assertNever(event);
  }
}

function onSubmitted(state: ListingState, event: ListingSubmitted): ListingState {
  invariant(state.status === 'none', `ListingSubmitted on a ${state.status} listing`);
  const { submittedAt, ...data } = event.data;
  return {
    status: 'submitted',
    ...data,
    verifiedFaceValueCents: 0n,
    submittedAt,
    reservations: new Map(),
    closedReservations: new Map(),
    availableFaceValueCents: 0n,
    reservedFaceValueCents: 0n,
    soldFaceValueCents: 0n,
    withdrawnFaceValueCents: 0n,
    expiredFaceValueCents: 0n,
  };
}

function onVerified(state: ListingState, event: ListingVerified): ListingState {
  const listing = expectStatus(state, event, 'submitted');
  return {
    ...listing,
    status: 'available',
    verifiedFaceValueCents: event.data.verifiedFaceValueCents,
    availableFaceValueCents: event.data.verifiedFaceValueCents,
    creditExpiresAt: event.data.verifiedExpiresAt,
    verification: { verifiedBy: event.data.verifiedBy, verifiedAt: event.data.verifiedAt, evidence: event.data.evidence },
  };
}

function onVerificationFailed(state: ListingState, event: ListingVerificationFailed): ListingState {
  const listing = expectStatus(state, event, 'submitted');
  return { ...listing, status: 'rejected', verificationFailure: { reason: event.data.reason, failedAt: event.data.failedAt } };
}

function onRepriced(state: ListingState, event: ListingRepriced): ListingState {
  const listing = expectStatus(state, event, 'submitted', 'available');
  return { ...listing, askPriceCents: event.data.askPriceCents };
}

function onWithdrawn(state: ListingState, event: ListingWithdrawn): ListingState {
  const listing = expectStatus(state, event, 'submitted', 'available');
  invariant(event.data.withdrawnFaceValueCents === listing.availableFaceValueCents, 'ListingWithdrawn must take the whole available face value');
  return {
    ...listing,
    status: 'withdrawn',
    availableFaceValueCents: 0n,
    withdrawnFaceValueCents: listing.withdrawnFaceValueCents + event.data.withdrawnFaceValueCents,
    withdrawal: { reason: event.data.reason, withdrawnAt: event.data.withdrawnAt },
  };
}

function onReserved(state: ListingState, event: ListingReserved): ListingState {
  const listing = expectStatus(state, event, 'available');
  const { dealId, faceValueCents, priceCents, reservedAt } = event.data;
  invariant(!listing.reservations.has(dealId) && !listing.closedReservations.has(dealId), `deal ${dealId} reserved the listing twice`);
  const reservations = new Map(listing.reservations).set(dealId, { faceValueCents, priceCents, reservedAt });
  return {
    ...listing,
    reservations,
    availableFaceValueCents: listing.availableFaceValueCents - faceValueCents,
    reservedFaceValueCents: listing.reservedFaceValueCents + faceValueCents,
  };
}

function onReservationReleased(state: ListingState, event: ListingReservationReleased): ListingState {
  const listing = expectStatus(state, event, 'available', 'withdrawn', 'expired');
  const { dealId, faceValueCents } = event.data;
  const reservation = listing.reservations.get(dealId);
  invariant(reservation !== undefined && reservation.faceValueCents === faceValueCents, `release of deal ${dealId} does not match its reservation`);
  const closed: ClosedListingReservation = { faceValueCents, priceCents: reservation.priceCents, outcome: 'released', soldFaceValueCents: 0n };
  const ended = endReservation(listing, dealId, closed);
  return returnFaceValue(ended, faceValueCents);
}

function onSold(state: ListingState, event: ListingSold): ListingState {
  const listing = expectStatus(state, event, 'available', 'withdrawn', 'expired');
  const { dealId, faceValueCents, unsoldFaceValueCents, soldAt } = event.data;
  const reservation = listing.reservations.get(dealId);
  invariant(
    reservation !== undefined && reservation.faceValueCents === faceValueCents + unsoldFaceValueCents,
    `sale of deal ${dealId} does not match its reservation`,
  );
  const closed: ClosedListingReservation = { faceValueCents: reservation.faceValueCents, priceCents: reservation.priceCents, outcome: 'sold', soldFaceValueCents: faceValueCents };
  const ended = endReservation(listing, dealId, closed);
  const sold = returnFaceValue({ ...ended, soldFaceValueCents: ended.soldFaceValueCents + faceValueCents }, unsoldFaceValueCents);
  if (sold.status === 'available' && sold.availableFaceValueCents === 0n && sold.reservedFaceValueCents === 0n) {
    return { ...sold, status: 'sold_out', soldOutAt: soldAt };
  }
  return sold;
}

function onExpired(state: ListingState, event: ListingExpired): ListingState {
  const listing = expectStatus(state, event, 'submitted', 'available');
  invariant(event.data.expiredFaceValueCents === listing.availableFaceValueCents, 'ListingExpired must lose the whole available face value');
  return {
    ...listing,
    status: 'expired',
    availableFaceValueCents: 0n,
    expiredFaceValueCents: listing.expiredFaceValueCents + event.data.expiredFaceValueCents,
    expiredAt: event.data.expiredAt,
  };
}

type ListingIn<Status extends ListingState['status']> = Extract<ListingState, { status: Status }>;

/** Removes an open reservation from the reserved face value and remembers how it ended. */
function endReservation<Listing extends ExistingListing>(listing: Listing, dealId: string, closed: ClosedListingReservation): Listing {
  const reservations = new Map(listing.reservations);
  reservations.delete(dealId);
  return {
    ...listing,
    reservations,
    closedReservations: new Map(listing.closedReservations).set(dealId, closed),
    reservedFaceValueCents: listing.reservedFaceValueCents - closed.faceValueCents,
  };
}

/**
 * Face value a deal gives back goes where the listing's own unreserved part
 * went: to the market while the listing is available, to the withdrawn or
 * expired part after a withdrawal or an expiry (it never becomes matchable
 * again).
 */
function returnFaceValue(listing: ListingIn<'available' | 'withdrawn' | 'expired'>, faceValueCents: Cents): ListingIn<'available' | 'withdrawn' | 'expired'> {
  switch (listing.status) {
    case 'available':
      return { ...listing, availableFaceValueCents: listing.availableFaceValueCents + faceValueCents };
    case 'withdrawn':
      return { ...listing, withdrawnFaceValueCents: listing.withdrawnFaceValueCents + faceValueCents };
    case 'expired':
      return { ...listing, expiredFaceValueCents: listing.expiredFaceValueCents + faceValueCents };
    default:
      return assertNever(listing);
  }
}

function expectStatus<Status extends ListingState['status']>(state: ListingState, event: ListingEvent, ...statuses: Status[]): ListingIn<Status> {
  invariant((statuses as readonly string[]).includes(state.status), `${event.type} on a ${state.status} listing`);
  return state as ListingIn<Status>;
}

function assertFaceValueConserved(state: ListingState): void {
  if (state.status === 'none') return;
  const parts = [state.availableFaceValueCents, state.reservedFaceValueCents, state.soldFaceValueCents, state.withdrawnFaceValueCents, state.expiredFaceValueCents];
  invariant(
    parts.every((part) => part >= 0n),
    `listing ${state.listingId} holds a negative face value`,
  );
  const total = parts.reduce((sum, part) => sum + part, 0n);
  let reservedCents = 0n;
  for (const reservation of state.reservations.values()) reservedCents += reservation.faceValueCents;
  invariant(reservedCents === state.reservedFaceValueCents, `listing ${state.listingId} reserved face value differs from its reservations`);
  invariant(total === state.verifiedFaceValueCents, `listing ${state.listingId} face value out of balance: ${total} != ${state.verifiedFaceValueCents}`);
}
