/**
 * What a broker (or a process manager) asks of one listing stream. Every
 * command names its listing, so a handler that loaded the wrong stream is
 * caught as a programmer error. Times and ids are arguments, never made up
 * inside the domain.
 */
import type { CreditType } from '../command-fields.js';
import type { Cents } from '../money.js';

export interface VerificationEvidence {
  /** How the credits were checked, e.g. `provider_console`, `billing_export`. */
  readonly method: string;
  /** Where the proof lies: a ticket, a document, a screenshot id. */
  readonly reference: string;
  readonly checkedAt: Date;
}

export interface SubmitListing {
  readonly type: 'SubmitListing';
  readonly listingId: string;
  readonly sellerId: string;
  readonly provider: string;
  readonly creditType: CreditType;
  readonly providerOrgRef: string;
  readonly currency: string;
  /** The seller's claim (the HTTP body's `faceValueCents`); verification may find less. */
  readonly claimedFaceValueCents: Cents;
  readonly creditExpiresAt: Date;
  /** The price for the whole verified face value. */
  readonly askPriceCents: Cents;
  /**
   * The principal submitting it (the command's actor, filled in by the
   * command handler): that broker, or an admin, manages the listing (listing.access.ts).
   */
  readonly submittedBy: string;
}

export interface VerifyListing {
  readonly type: 'VerifyListing';
  readonly listingId: string;
  readonly verifiedBy: string;
  readonly verifiedFaceValueCents: Cents;
  /** Replaces the claimed credit expiry: the provider's word wins over the seller's. */
  readonly verifiedExpiresAt: Date;
  readonly evidence: VerificationEvidence;
}

export interface FailListingVerification {
  readonly type: 'FailListingVerification';
  readonly listingId: string;
  readonly reason: string;
}

export interface RepriceListing {
  readonly type: 'RepriceListing';
  readonly listingId: string;
  readonly askPriceCents: Cents;
}

export interface WithdrawListing {
  readonly type: 'WithdrawListing';
  readonly listingId: string;
  readonly reason: string;
}

export interface ReserveListing {
  readonly type: 'ReserveListing';
  readonly listingId: string;
  readonly dealId: string;
  readonly faceValueCents: Cents;
  /** The deal's price at match time; the deal stream, not the listing, owns later amendments. */
  readonly priceCents: Cents;
  /** Who the credits are reserved for: enough for a process manager to open the deal if the opener crashed. */
  readonly match: ReservationMatch;
}

/** The other side of a reservation: the deal's buyer, broker and commission at match time. */
export interface ReservationMatch {
  readonly buyerId: string;
  readonly brokerId: string;
  readonly commissionBps: number;
  readonly buyRequestId: string | null;
}

export interface ReleaseListingReservation {
  readonly type: 'ReleaseListingReservation';
  readonly listingId: string;
  readonly dealId: string;
  /** Why the deal let go, e.g. `deal_rejected`, `deal_cancelled`, `deal_expired`. */
  readonly reason: string;
}

export interface SellListingReservation {
  readonly type: 'SellListingReservation';
  readonly listingId: string;
  readonly dealId: string;
  /** The face value the transfer confirmed; the rest of the reservation is returned to the listing. */
  readonly faceValueCents: Cents;
}

export interface ExpireListing {
  readonly type: 'ExpireListing';
  readonly listingId: string;
}

export type ListingCommand =
  | SubmitListing
  | VerifyListing
  | FailListingVerification
  | RepriceListing
  | WithdrawListing
  | ReserveListing
  | ReleaseListingReservation
  | SellListingReservation
  | ExpireListing;

export type ListingCommandType = ListingCommand['type'];
