/**
 * The listing, deal and buy-request shapes of shared/API.md, from the folded domain
 * state: the views store that state, and "as of" folds it from the stream,
 * so both answer through the same function and cannot drift apart.
 * Amounts are decimal strings of cents, times ISO 8601, streamRevision a
 * number (a stream's revisions stay far below 2^53).
 */
import { formatCents, unfilledFaceValueCents, type ExistingBuyRequest, type ExistingDeal, type ExistingListing } from '#domain';

export interface ListingAnswer {
  readonly id: string;
  readonly status: ExistingListing['status'];
  readonly sellerId: string;
  readonly provider: string;
  readonly creditType: string;
  readonly currency: string;
  readonly faceValueCents: string;
  readonly verifiedFaceValueCents: string;
  readonly reservedFaceValueCents: string;
  readonly soldFaceValueCents: string;
  readonly availableFaceValueCents: string;
  readonly withdrawnFaceValueCents: string;
  readonly expiredFaceValueCents: string;
  readonly askPriceCents: string;
  readonly creditExpiresAt: string;
  readonly submittedAt: string;
  /** The broker (or admin) who submitted it and, with an admin, may verify, reprice or withdraw it; null: recorded before submitters were, an admin's alone. */
  readonly submittedBy: string | null;
  readonly streamRevision: number;
}

export interface DealAnswer {
  readonly id: string;
  readonly status: ExistingDeal['status'];
  readonly listingId: string;
  /** The buy request the deal was opened from; null for a deal opened without one. */
  readonly buyRequestId: string | null;
  readonly sellerId: string;
  readonly buyerId: string;
  readonly brokerId: string;
  readonly currency: string;
  readonly faceValueCents: string;
  readonly priceCents: string;
  readonly commissionBps: number;
  readonly commissionCents: string;
  readonly payoutCents: string;
  readonly paidCents: string;
  readonly termsVersion: number;
  readonly approvalDeadline: string;
  readonly creditExpiresAt: string;
  readonly openedAt: string;
  readonly approvedAt: string | null;
  readonly fundedAt: string | null;
  readonly transferredAt: string | null;
  readonly closedAt: string | null;
  readonly streamRevision: number;
}

export interface BuyRequestAnswer {
  readonly id: string;
  readonly status: ExistingBuyRequest['status'];
  readonly buyerId: string;
  readonly provider: string;
  readonly creditTypes: string[];
  readonly faceValueCents: string;
  readonly filledFaceValueCents: string;
  readonly unfilledFaceValueCents: string;
  readonly maxPriceBps: number;
  readonly minValidityDays: number;
  readonly deadline: string;
  readonly placedAt: string;
  /** The broker (or admin) who placed it and, with an admin, may amend or cancel it; null: recorded before placers were, an admin's alone. */
  readonly placedBy: string | null;
  readonly streamRevision: number;
}

/**
 * One listing offered to one buy request (shared/API.md, "match suggestion"):
 * `availableFaceValueCents` is the face value the pair would trade, the
 * smaller of what the listing has available and what the request still
 * wants, and `priceCents` the listing's ask for exactly that part.
 */
export interface MatchSuggestionAnswer {
  readonly listingId: string;
  readonly buyRequestId: string;
  readonly availableFaceValueCents: string;
  readonly priceCents: string;
  readonly discountBps: number;
  readonly creditExpiresAt: string;
  readonly sellerId: string;
  readonly buyerId: string;
  readonly creditType: string;
}

export function listingAnswer(listing: ExistingListing, streamRevision: bigint): ListingAnswer {
  return {
    id: listing.listingId,
    status: listing.status,
    sellerId: listing.sellerId,
    provider: listing.provider,
    creditType: listing.creditType,
    currency: listing.currency,
    faceValueCents: formatCents(listing.claimedFaceValueCents),
    verifiedFaceValueCents: formatCents(listing.verifiedFaceValueCents),
    reservedFaceValueCents: formatCents(listing.reservedFaceValueCents),
    soldFaceValueCents: formatCents(listing.soldFaceValueCents),
    availableFaceValueCents: formatCents(listing.availableFaceValueCents),
    withdrawnFaceValueCents: formatCents(listing.withdrawnFaceValueCents),
    expiredFaceValueCents: formatCents(listing.expiredFaceValueCents),
    askPriceCents: formatCents(listing.askPriceCents),
    creditExpiresAt: listing.creditExpiresAt.toISOString(),
    submittedAt: listing.submittedAt.toISOString(),
    // A view row folded before submitters were recorded holds no such field at all.
    submittedBy: listing.submittedBy ?? null,
    streamRevision: Number(streamRevision),
  };
}

export function dealAnswer(deal: ExistingDeal, streamRevision: bigint): DealAnswer {
  return {
    id: deal.dealId,
    status: deal.status,
    listingId: deal.listingId,
    buyRequestId: deal.buyRequestId ?? null,
    sellerId: deal.sellerId,
    buyerId: deal.buyerId,
    brokerId: deal.brokerId,
    currency: deal.currency,
    faceValueCents: formatCents(deal.faceValueCents),
    priceCents: formatCents(deal.priceCents),
    commissionBps: deal.commissionBps,
    commissionCents: formatCents(deal.commissionCents),
    payoutCents: formatCents(deal.payoutCents),
    paidCents: formatCents(deal.paidCents),
    termsVersion: deal.termsVersion,
    approvalDeadline: deal.approvalDeadline.toISOString(),
    creditExpiresAt: deal.creditExpiresAt.toISOString(),
    openedAt: deal.openedAt.toISOString(),
    approvedAt: deal.approvedAt?.toISOString() ?? null,
    fundedAt: deal.fundedAt?.toISOString() ?? null,
    transferredAt: deal.transferredAt?.toISOString() ?? null,
    closedAt: deal.closedAt?.toISOString() ?? null,
    streamRevision: Number(streamRevision),
  };
}

export function buyRequestAnswer(request: ExistingBuyRequest, streamRevision: bigint): BuyRequestAnswer {
  return {
    id: request.buyRequestId,
    status: request.status,
    buyerId: request.buyerId,
    provider: request.provider,
    creditTypes: [...request.creditTypes],
    faceValueCents: formatCents(request.faceValueCents),
    filledFaceValueCents: formatCents(request.filledFaceValueCents),
    unfilledFaceValueCents: formatCents(unfilledFaceValueCents(request)),
    maxPriceBps: request.maxPriceBps,
    minValidityDays: request.minValidityDays,
    deadline: request.deadline.toISOString(),
    placedAt: request.placedAt.toISOString(),
    // A view row folded before placers were recorded holds no such field at all.
    placedBy: request.placedBy ?? null,
    streamRevision: Number(streamRevision),
  };
}
