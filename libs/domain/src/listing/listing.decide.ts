/**
 * The listing decider: one small pure function per command. It reads no
 * clock (`now` is an argument) and makes up no ids; it returns the new facts
 * or throws a DomainError with a stable code.
 *
 * The listing stream is the lock against over-selling (shared/DOMAIN.md,
 * "Streams"): a reservation is refused unless the available face value
 * covers it, so reserved + sold never exceeds the verified face value.
 */
import {
  requireCreditType,
  requireCurrency,
  requireId,
  requirePositiveCents,
  requireProvider,
  requireCommissionBps,
  requireText,
  requireTime,
} from '../command-fields.js';
import { DomainError } from '../domain-error.js';
import { assertNever, invariant } from '../invariant.js';
import { MAX_RESERVATIONS_PER_LISTING } from '../limits.js';
import type {
  ExpireListing,
  FailListingVerification,
  ListingCommand,
  ReleaseListingReservation,
  RepriceListing,
  ReserveListing,
  SellListingReservation,
  SubmitListing,
  VerifyListing,
  WithdrawListing,
} from './listing.commands.js';
import type { ListingEvent } from './listing.events.js';
import { DEFAULT_LISTING_POLICY, type ListingPolicy, assertListingPolicy, matchableUntil } from './listing.policy.js';
import type { ExistingListing, ListingState } from './listing.state.js';

export function decideListing(state: ListingState, command: ListingCommand, now: Date, policy: ListingPolicy = DEFAULT_LISTING_POLICY): ListingEvent[] {
  invariant(now instanceof Date && !Number.isNaN(now.getTime()), 'now must be a valid Date');
  assertListingPolicy(policy);
  switch (command.type) {
    case 'SubmitListing':
      return submitListing(state, command, now, policy);
    case 'VerifyListing':
      return verifyListing(state, command, now, policy);
    case 'FailListingVerification':
      return failListingVerification(state, command, now);
    case 'RepriceListing':
      return repriceListing(state, command, now);
    case 'WithdrawListing':
      return withdrawListing(state, command, now);
    case 'ReserveListing':
      return reserveListing(state, command, now, policy);
    case 'ReleaseListingReservation':
      return releaseListingReservation(state, command, now);
    case 'SellListingReservation':
      return sellListingReservation(state, command, now);
    case 'ExpireListing':
      return expireListing(state, command, now, policy);
    default:
      return assertNever(command);
  }
}

function submitListing(state: ListingState, command: SubmitListing, now: Date, policy: ListingPolicy): ListingEvent[] {
  requireId(command.listingId, 'listingId');
  requireId(command.sellerId, 'sellerId');
  requireProvider(command.provider);
  requireCreditType(command.creditType);
  requireText(command.providerOrgRef, 'providerOrgRef');
  requireCurrency(command.currency);
  requirePositiveCents(command.claimedFaceValueCents, 'claimedFaceValueCents');
  requireTime(command.creditExpiresAt, 'creditExpiresAt');
  requirePositiveCents(command.askPriceCents, 'askPriceCents');
  requireId(command.submittedBy, 'submittedBy');
  if (state.status !== 'none') {
    throw new DomainError('LISTING_ALREADY_EXISTS', `listing ${command.listingId} already exists`, { listingId: command.listingId });
  }
  refuseExpiring(command.listingId, command.creditExpiresAt, now, policy);
  return [
    {
      type: 'ListingSubmitted',
      data: {
        listingId: command.listingId,
        sellerId: command.sellerId,
        provider: command.provider,
        creditType: command.creditType,
        providerOrgRef: command.providerOrgRef,
        currency: command.currency,
        claimedFaceValueCents: command.claimedFaceValueCents,
        creditExpiresAt: command.creditExpiresAt,
        askPriceCents: command.askPriceCents,
        submittedBy: command.submittedBy,
        submittedAt: now,
      },
    },
  ];
}

function verifyListing(state: ListingState, command: VerifyListing, now: Date, policy: ListingPolicy): ListingEvent[] {
  requireId(command.verifiedBy, 'verifiedBy');
  requirePositiveCents(command.verifiedFaceValueCents, 'verifiedFaceValueCents');
  requireTime(command.verifiedExpiresAt, 'verifiedExpiresAt');
  requireText(command.evidence.method, 'evidence.method');
  requireText(command.evidence.reference, 'evidence.reference');
  requireTime(command.evidence.checkedAt, 'evidence.checkedAt');
  const listing = requireSubmitted(state, command.listingId);
  if (command.verifiedFaceValueCents > listing.claimedFaceValueCents) {
    throw new DomainError('LISTING_VERIFIED_FACE_VALUE_EXCEEDS_CLAIM', 'the verified face value may be below the claim, never above it', {
      listingId: listing.listingId,
      claimedFaceValueCents: listing.claimedFaceValueCents.toString(),
    });
  }
  refuseExpiring(listing.listingId, command.verifiedExpiresAt, now, policy);
  return [
    {
      type: 'ListingVerified',
      data: {
        listingId: listing.listingId,
        verifiedBy: command.verifiedBy,
        verifiedFaceValueCents: command.verifiedFaceValueCents,
        verifiedExpiresAt: command.verifiedExpiresAt,
        evidence: { method: command.evidence.method, reference: command.evidence.reference, checkedAt: command.evidence.checkedAt },
        verifiedAt: now,
      },
    },
  ];
}

function failListingVerification(state: ListingState, command: FailListingVerification, now: Date): ListingEvent[] {
  requireText(command.reason, 'reason');
  const listing = requireSubmitted(state, command.listingId);
  return [{ type: 'ListingVerificationFailed', data: { listingId: listing.listingId, reason: command.reason, failedAt: now } }];
}

/** Repricing the same price records nothing: the fact is already there. */
function repriceListing(state: ListingState, command: RepriceListing, now: Date): ListingEvent[] {
  requirePositiveCents(command.askPriceCents, 'askPriceCents');
  const listing = requireOpen(state, command.listingId);
  if (listing.askPriceCents === command.askPriceCents) return [];
  return [{ type: 'ListingRepriced', data: { listingId: listing.listingId, askPriceCents: command.askPriceCents, repricedAt: now } }];
}

/** Withdraws the unreserved part only: open reservations are deals in progress and end through their deals. */
function withdrawListing(state: ListingState, command: WithdrawListing, now: Date): ListingEvent[] {
  requireText(command.reason, 'reason');
  const listing = requireOpen(state, command.listingId);
  return [
    {
      type: 'ListingWithdrawn',
      data: { listingId: listing.listingId, reason: command.reason, withdrawnFaceValueCents: listing.availableFaceValueCents, withdrawnAt: now },
    },
  ];
}

function reserveListing(state: ListingState, command: ReserveListing, now: Date, policy: ListingPolicy): ListingEvent[] {
  requireId(command.dealId, 'dealId');
  requirePositiveCents(command.faceValueCents, 'faceValueCents');
  requirePositiveCents(command.priceCents, 'priceCents');
  requireId(command.match.buyerId, 'buyerId');
  requireId(command.match.brokerId, 'brokerId');
  requireCommissionBps(command.match.commissionBps);
  if (command.match.buyRequestId !== null) requireId(command.match.buyRequestId, 'buyRequestId');
  const listing = requireExisting(state, command.listingId);
  // A process manager that runs again after a crash repeats its reservation: the fact is already recorded.
  if (isRepeatedReservation(listing, command)) return [];
  switch (listing.status) {
    case 'submitted':
    case 'rejected':
      throw new DomainError('LISTING_NOT_VERIFIED', 'only verified credits can be matched', { listingId: listing.listingId, status: listing.status });
    case 'expired':
      throw listingExpired(listing.listingId);
    case 'sold_out':
    case 'withdrawn':
      throw new DomainError('LISTING_NOT_AVAILABLE', `listing ${listing.listingId} is ${listing.status}`, { listingId: listing.listingId, status: listing.status });
    case 'available':
      break;
    default:
      return assertNever(listing);
  }
  refuseExpiring(listing.listingId, listing.creditExpiresAt, now, policy);
  if (listing.reservations.size + listing.closedReservations.size >= MAX_RESERVATIONS_PER_LISTING) {
    throw new DomainError('LISTING_RESERVATION_LIMIT_REACHED', `a listing takes at most ${MAX_RESERVATIONS_PER_LISTING} reservations`, {
      listingId: listing.listingId,
    });
  }
  if (command.faceValueCents > listing.availableFaceValueCents) {
    throw new DomainError('INSUFFICIENT_AVAILABLE_CREDITS', 'the reservation exceeds the available face value', {
      listingId: listing.listingId,
      availableFaceValueCents: listing.availableFaceValueCents.toString(),
      requestedFaceValueCents: command.faceValueCents.toString(),
    });
  }
  return [
    {
      type: 'ListingReserved',
      data: {
        listingId: listing.listingId,
        dealId: command.dealId,
        faceValueCents: command.faceValueCents,
        priceCents: command.priceCents,
        match: command.match,
        reservedAt: now,
      },
    },
  ];
}

/**
 * True when this deal already reserved exactly these amounts (open or ended);
 * a reservation for the same deal with other amounts is a conflict.
 */
function isRepeatedReservation(listing: ExistingListing, command: ReserveListing): boolean {
  const earlier = listing.reservations.get(command.dealId) ?? listing.closedReservations.get(command.dealId);
  if (earlier === undefined) return false;
  if (earlier.faceValueCents === command.faceValueCents && earlier.priceCents === command.priceCents) return true;
  throw new DomainError('LISTING_ALREADY_RESERVED_FOR_DEAL', `deal ${command.dealId} already reserved other amounts of this listing`, {
    listingId: listing.listingId,
    dealId: command.dealId,
    faceValueCents: earlier.faceValueCents.toString(),
    priceCents: earlier.priceCents.toString(),
  });
}

/** Releasing a reservation that was already released records nothing (a process manager's rerun). */
function releaseListingReservation(state: ListingState, command: ReleaseListingReservation, now: Date): ListingEvent[] {
  requireId(command.dealId, 'dealId');
  requireText(command.reason, 'reason');
  const listing = requireExisting(state, command.listingId);
  const reservation = listing.reservations.get(command.dealId);
  if (reservation === undefined) {
    if (listing.closedReservations.get(command.dealId)?.outcome === 'released') return [];
    throw reservationNotOpen(listing, command.dealId);
  }
  return [
    {
      type: 'ListingReservationReleased',
      data: { listingId: listing.listingId, dealId: command.dealId, faceValueCents: reservation.faceValueCents, reason: command.reason, releasedAt: now },
    },
  ];
}

/**
 * Records the sale of a reservation's confirmed face value. No clock check:
 * the deal stream already refused transfers confirmed at or after the credit
 * expiry, and the listing records what the deal established.
 */
function sellListingReservation(state: ListingState, command: SellListingReservation, now: Date): ListingEvent[] {
  requireId(command.dealId, 'dealId');
  requirePositiveCents(command.faceValueCents, 'faceValueCents');
  const listing = requireExisting(state, command.listingId);
  const reservation = listing.reservations.get(command.dealId);
  if (reservation === undefined) {
    const closed = listing.closedReservations.get(command.dealId);
    if (closed?.outcome === 'sold' && closed.soldFaceValueCents === command.faceValueCents) return [];
    throw reservationNotOpen(listing, command.dealId);
  }
  if (command.faceValueCents > reservation.faceValueCents) {
    throw new DomainError('SALE_EXCEEDS_RESERVATION', 'a deal cannot sell more face value than it reserved', {
      listingId: listing.listingId,
      dealId: command.dealId,
      reservedFaceValueCents: reservation.faceValueCents.toString(),
    });
  }
  return [
    {
      type: 'ListingSold',
      data: {
        listingId: listing.listingId,
        dealId: command.dealId,
        faceValueCents: command.faceValueCents,
        unsoldFaceValueCents: reservation.faceValueCents - command.faceValueCents,
        soldAt: now,
      },
    },
  ];
}

/**
 * Records that the listing stopped being matchable. Refused before its
 * matchable-until time; a listing already expired records nothing, so the
 * deadline worker may run it again after a restart or on several instances.
 */
function expireListing(state: ListingState, command: ExpireListing, now: Date, policy: ListingPolicy): ListingEvent[] {
  const listing = requireExisting(state, command.listingId);
  if (listing.status === 'expired') return [];
  const open = requireOpen(listing, command.listingId);
  const deadline = matchableUntil(open.creditExpiresAt, policy);
  if (now < deadline) {
    throw new DomainError('LISTING_EXPIRY_NOT_REACHED', `listing ${open.listingId} stays matchable until ${deadline.toISOString()}`, {
      listingId: open.listingId,
      matchableUntil: deadline.toISOString(),
    });
  }
  return [{ type: 'ListingExpired', data: { listingId: open.listingId, expiredFaceValueCents: open.availableFaceValueCents, expiredAt: now } }];
}

function requireExisting(state: ListingState, listingId: string): ExistingListing {
  if (state.status === 'none') throw new DomainError('LISTING_NOT_FOUND', `listing ${listingId} does not exist`, { listingId });
  invariant(state.listingId === listingId, `command for listing ${listingId} decided on listing ${state.listingId}`);
  return state;
}

function requireSubmitted(state: ListingState, listingId: string): Extract<ListingState, { status: 'submitted' }> {
  const listing = requireExisting(state, listingId);
  if (listing.status === 'submitted') return listing;
  if (listing.verification !== undefined) {
    throw new DomainError('LISTING_ALREADY_VERIFIED', `listing ${listingId} is already verified`, { listingId, status: listing.status });
  }
  throw new DomainError('LISTING_NOT_SUBMITTED', `listing ${listingId} is ${listing.status}, not awaiting verification`, { listingId, status: listing.status });
}

/** Submitted or available: the statuses in which the seller may still change the offer. */
function requireOpen(state: ListingState, listingId: string): Extract<ListingState, { status: 'submitted' | 'available' }> {
  const listing = requireExisting(state, listingId);
  if (listing.status === 'submitted' || listing.status === 'available') return listing;
  throw new DomainError('LISTING_CLOSED', `listing ${listingId} is ${listing.status}`, { listingId, status: listing.status });
}

function refuseExpiring(listingId: string, creditExpiresAt: Date, now: Date, policy: ListingPolicy): void {
  if (now >= matchableUntil(creditExpiresAt, policy)) throw listingExpired(listingId, creditExpiresAt);
}

function listingExpired(listingId: string, creditExpiresAt?: Date): DomainError {
  const details: Record<string, string> = { listingId };
  if (creditExpiresAt !== undefined) details.creditExpiresAt = creditExpiresAt.toISOString();
  return new DomainError('LISTING_EXPIRED', `listing ${listingId} is no longer matchable: its credits expire too soon`, details);
}

function reservationNotOpen(listing: ExistingListing, dealId: string): DomainError {
  const closed = listing.closedReservations.get(dealId);
  if (closed === undefined) {
    return new DomainError('RESERVATION_NOT_FOUND', `deal ${dealId} holds no reservation of listing ${listing.listingId}`, { listingId: listing.listingId, dealId });
  }
  return new DomainError('RESERVATION_CLOSED', `the reservation of deal ${dealId} was already ${closed.outcome}`, {
    listingId: listing.listingId,
    dealId,
    outcome: closed.outcome,
  });
}
