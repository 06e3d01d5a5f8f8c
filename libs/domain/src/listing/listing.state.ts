/**
 * A listing as its events leave it: a union tagged by `status`.
 *
 * Statuses, precisely:
 * - `none`: no event yet.
 * - `submitted`: claimed by the seller, not verified; never matchable.
 * - `available`: verified and on the market. It is matchable while
 *   `availableFaceValueCents > 0` and the clock is before its matchable-until
 *   time (listing.policy.ts); it stays `available` while fully reserved,
 *   because a reservation may still be released.
 * - `sold_out`: every verified cent is sold: nothing available, nothing
 *   reserved. Final.
 * - `rejected`: verification failed. Final.
 * - `withdrawn`: the seller took the unreserved part off the market. Open
 *   reservations may still be sold or released; released face value goes to
 *   the withdrawn part, never back to the market. Final.
 * - `expired`: the matchable-until time passed and ListingExpired was
 *   recorded. The available part is lost to expiry; open reservations may
 *   still be sold (their deals confirm transfers up to the credit expiry
 *   itself, inside the safety margin) or released, and released face value
 *   is lost to expiry too. Final.
 *
 * Face value is conserved: available + reserved + sold + withdrawn + expired
 * = verified, always (0 before verification). Hence reserved + sold never
 * exceeds the verified face value.
 */
import type { CreditType } from '../command-fields.js';
import type { Cents } from '../money.js';
import type { VerificationEvidence } from './listing.commands.js';

export interface ListingReservation {
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly reservedAt: Date;
}

/** A reservation that ended, kept so that a repeated reserve, release or sale of it is recognised. */
export interface ClosedListingReservation {
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly outcome: 'sold' | 'released';
  /** The part sold (0 for a release). */
  readonly soldFaceValueCents: Cents;
}

export interface ListingVerification {
  readonly verifiedBy: string;
  readonly verifiedAt: Date;
  readonly evidence: VerificationEvidence;
}

/** What every listing that exists holds. */
export interface ListingRecord {
  readonly listingId: string;
  readonly sellerId: string;
  readonly provider: string;
  readonly creditType: CreditType;
  readonly providerOrgRef: string;
  readonly currency: string;
  readonly claimedFaceValueCents: Cents;
  /** 0 until verified. */
  readonly verifiedFaceValueCents: Cents;
  /** The claimed credit expiry until verification, the verified one after. */
  readonly creditExpiresAt: Date;
  readonly askPriceCents: Cents;
  /** Who manages the listing with an admin; null: recorded before submitters were, an admin's alone. */
  readonly submittedBy: string | null;
  readonly submittedAt: Date;
  readonly verification?: ListingVerification;
  /** Open reservations by deal id. */
  readonly reservations: ReadonlyMap<string, ListingReservation>;
  /** Ended reservations by deal id. */
  readonly closedReservations: ReadonlyMap<string, ClosedListingReservation>;
  readonly availableFaceValueCents: Cents;
  readonly reservedFaceValueCents: Cents;
  readonly soldFaceValueCents: Cents;
  readonly withdrawnFaceValueCents: Cents;
  readonly expiredFaceValueCents: Cents;
}

export interface UnsubmittedListing {
  readonly status: 'none';
}

export interface SubmittedListing extends ListingRecord {
  readonly status: 'submitted';
}

export interface AvailableListing extends ListingRecord {
  readonly status: 'available';
  readonly verification: ListingVerification;
}

export interface SoldOutListing extends ListingRecord {
  readonly status: 'sold_out';
  readonly verification: ListingVerification;
  readonly soldOutAt: Date;
}

export interface RejectedListing extends ListingRecord {
  readonly status: 'rejected';
  readonly verificationFailure: { readonly reason: string; readonly failedAt: Date };
}

export interface WithdrawnListing extends ListingRecord {
  readonly status: 'withdrawn';
  readonly withdrawal: { readonly reason: string; readonly withdrawnAt: Date };
}

export interface ExpiredListing extends ListingRecord {
  readonly status: 'expired';
  readonly expiredAt: Date;
}

export type ListingState = UnsubmittedListing | SubmittedListing | AvailableListing | SoldOutListing | RejectedListing | WithdrawnListing | ExpiredListing;

export type ExistingListing = Exclude<ListingState, UnsubmittedListing>;

export type ListingStatus = ListingState['status'];

export const LISTING_STATUSES = ['none', 'submitted', 'available', 'sold_out', 'rejected', 'withdrawn', 'expired'] as const satisfies readonly ListingStatus[];

export const initialListingState: ListingState = Object.freeze({ status: 'none' });
