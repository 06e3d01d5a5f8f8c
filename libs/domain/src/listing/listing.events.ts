import type { ReservationMatch } from './listing.commands.js';
/**
 * The facts of a listing stream, in the past tense (shared/DOMAIN.md,
 * "Listing lifecycle"). Money is bigint cents and times are Dates here; the
 * codec (listing.codec.ts) turns them into decimal and ISO strings for the store.
 *
 * Events carry the amounts their consequences need (the face value a
 * release returns, a withdrawal takes off the market, an expiry loses), so
 * projections and the books can fold them without recomputing the rules.
 */
import type { CreditType } from '../command-fields.js';
import type { Cents } from '../money.js';
import type { VerificationEvidence } from './listing.commands.js';

export interface ListingSubmitted {
  readonly type: 'ListingSubmitted';
  readonly data: {
    readonly listingId: string;
    readonly sellerId: string;
    readonly provider: string;
    readonly creditType: CreditType;
    readonly providerOrgRef: string;
    readonly currency: string;
    readonly claimedFaceValueCents: Cents;
    readonly creditExpiresAt: Date;
    readonly askPriceCents: Cents;
    /**
     * The principal that submitted the listing: it (or an admin) may verify,
     * reprice or withdraw it. Null for a listing recorded before submitters
     * were: only an admin manages such a listing.
     */
    readonly submittedBy: string | null;
    readonly submittedAt: Date;
  };
}

export interface ListingVerified {
  readonly type: 'ListingVerified';
  readonly data: {
    readonly listingId: string;
    readonly verifiedBy: string;
    readonly verifiedFaceValueCents: Cents;
    readonly verifiedExpiresAt: Date;
    readonly evidence: VerificationEvidence;
    readonly verifiedAt: Date;
  };
}

export interface ListingVerificationFailed {
  readonly type: 'ListingVerificationFailed';
  readonly data: {
    readonly listingId: string;
    readonly reason: string;
    readonly failedAt: Date;
  };
}

export interface ListingRepriced {
  readonly type: 'ListingRepriced';
  readonly data: {
    readonly listingId: string;
    readonly askPriceCents: Cents;
    readonly repricedAt: Date;
  };
}

export interface ListingWithdrawn {
  readonly type: 'ListingWithdrawn';
  readonly data: {
    readonly listingId: string;
    readonly reason: string;
    /** The unreserved face value taken off the market; open reservations stay. */
    readonly withdrawnFaceValueCents: Cents;
    readonly withdrawnAt: Date;
  };
}

export interface ListingReserved {
  readonly type: 'ListingReserved';
  readonly data: {
    readonly listingId: string;
    readonly dealId: string;
    readonly faceValueCents: Cents;
    readonly priceCents: Cents;
    readonly match: ReservationMatch;
    readonly reservedAt: Date;
  };
}

export interface ListingReservationReleased {
  readonly type: 'ListingReservationReleased';
  readonly data: {
    readonly listingId: string;
    readonly dealId: string;
    /** The whole reservation, back to available (or, on a withdrawn or expired listing, to its withdrawn or expired part). */
    readonly faceValueCents: Cents;
    readonly reason: string;
    readonly releasedAt: Date;
  };
}

export interface ListingSold {
  readonly type: 'ListingSold';
  readonly data: {
    readonly listingId: string;
    readonly dealId: string;
    /** The face value the transfer confirmed. */
    readonly faceValueCents: Cents;
    /** The rest of the reservation, returned as a release would return it. */
    readonly unsoldFaceValueCents: Cents;
    readonly soldAt: Date;
  };
}

export interface ListingExpired {
  readonly type: 'ListingExpired';
  readonly data: {
    readonly listingId: string;
    /** The available face value that can no longer be matched: value lost to expiry. */
    readonly expiredFaceValueCents: Cents;
    readonly expiredAt: Date;
  };
}

export type ListingEvent =
  | ListingSubmitted
  | ListingVerified
  | ListingVerificationFailed
  | ListingRepriced
  | ListingWithdrawn
  | ListingReserved
  | ListingReservationReleased
  | ListingSold
  | ListingExpired;

export type ListingEventType = ListingEvent['type'];

export const LISTING_EVENT_TYPES = [
  'ListingSubmitted',
  'ListingVerified',
  'ListingVerificationFailed',
  'ListingRepriced',
  'ListingWithdrawn',
  'ListingReserved',
  'ListingReservationReleased',
  'ListingSold',
  'ListingExpired',
] as const satisfies readonly ListingEventType[];

export function isListingEventType(type: string): type is ListingEventType {
  return (LISTING_EVENT_TYPES as readonly string[]).includes(type);
}

/** Compile-time check that LISTING_EVENT_TYPES names every event type. */
const _everyListingEventTypeListed: [Exclude<ListingEventType, (typeof LISTING_EVENT_TYPES)[number]>] extends [never] ? true : never = true;
