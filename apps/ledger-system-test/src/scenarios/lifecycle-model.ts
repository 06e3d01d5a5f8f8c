/**
 * The model of the model-based lifecycle test (model-lifecycle.scenario.ts):
 * one listing and the deals opened on it, as plain data, with the rules of
 * shared/DOMAIN.md written down once more, independently of libs/domain:
 * which command is legal in which state, and what a legal one does to the
 * states, the amounts and the streams' revisions. Pure: the scenario sends
 * each command to the real API and compares.
 */
export type ListingStatus = 'submitted' | 'available' | 'sold_out' | 'rejected' | 'withdrawn';

export interface ListingModel {
  id: string;
  status: ListingStatus;
  claimedFaceValueCents: bigint;
  /** 0 until verified (as the listing view shows it). */
  verifiedFaceValueCents: bigint;
  availableFaceValueCents: bigint;
  reservedFaceValueCents: bigint;
  soldFaceValueCents: bigint;
  askPriceCents: bigint;
  /** Events on the listing stream minus one. */
  streamRevision: number;
}

export type DealStatus = 'awaiting_approvals' | 'approved' | 'funded' | 'transferring' | 'transferred' | 'settled' | 'rejected' | 'cancelled' | 'disputed';
export type Party = 'seller' | 'buyer';
export type Disputable = 'approved' | 'funded' | 'transferring' | 'transferred';

export interface DealModel {
  id: string;
  status: DealStatus;
  faceValueCents: bigint;
  priceCents: bigint;
  commissionBps: number;
  paidCents: bigint;
  termsVersion: number;
  approvals: Set<Party>;
  transferAttempts: number;
  /** Set once a transfer is confirmed. */
  confirmedFaceValueCents: bigint | null;
  disputedFrom: Disputable | null;
  /** The reservation went back to the listing, or was sold. */
  reservationSettled: boolean;
  streamRevision: number;
}

export interface LifecycleModel {
  listing: ListingModel;
  deals: DealModel[];
}

export const CLOSED_DEAL_STATUSES: readonly DealStatus[] = ['settled', 'rejected', 'cancelled'];
/** A deal's price and commission: 10 % of the price, rounded down (libs/domain money.ts does the same; the API's answer is compared). */
export const MODEL_COMMISSION_BPS = 1_000;
/** shared/DOMAIN.md limits (libs/domain limits.ts): more transfer attempts are refused. */
export const MAX_TRANSFER_ATTEMPTS = 10;

export function commissionOf(priceCents: bigint, commissionBps: number): bigint {
  return (priceCents * BigInt(commissionBps)) / 10_000n;
}

export function isClosed(deal: DealModel): boolean {
  return CLOSED_DEAL_STATUSES.includes(deal.status);
}

// ---- legality: each answers whether the command must be accepted --------------------------------

export const legal = {
  verify: (listing: ListingModel): boolean => listing.status === 'submitted',
  failVerification: (listing: ListingModel): boolean => listing.status === 'submitted',
  reprice: (listing: ListingModel): boolean => listing.status === 'submitted' || listing.status === 'available',
  withdraw: (listing: ListingModel): boolean => listing.status === 'submitted' || listing.status === 'available',
  openDeal: (listing: ListingModel, faceValueCents: bigint): boolean => listing.status === 'available' && faceValueCents <= listing.availableFaceValueCents,
  amend: (deal: DealModel): boolean => (deal.status === 'awaiting_approvals' || deal.status === 'approved') && deal.paidCents === 0n,
  approve: (deal: DealModel, party: Party, termsVersion: number): boolean =>
    (deal.status === 'awaiting_approvals' || deal.status === 'approved') && termsVersion === deal.termsVersion && !deal.approvals.has(party),
  reject: (deal: DealModel): boolean => deal.status === 'awaiting_approvals',
  pay: (deal: DealModel, amountCents: bigint): boolean => deal.status === 'approved' && amountCents <= deal.priceCents - deal.paidCents,
  startTransfer: (deal: DealModel): boolean => deal.status === 'funded' && deal.transferAttempts < MAX_TRANSFER_ATTEMPTS,
  confirmTransfer: (deal: DealModel, confirmedFaceValueCents: bigint): boolean => deal.status === 'transferring' && confirmedFaceValueCents <= deal.faceValueCents,
  failTransfer: (deal: DealModel): boolean => deal.status === 'transferring',
  payout: (deal: DealModel): boolean => deal.status === 'transferred',
  cancel: (deal: DealModel): boolean => deal.status === 'awaiting_approvals' || deal.status === 'approved' || deal.status === 'funded',
  dispute: (deal: DealModel): boolean => deal.status === 'approved' || deal.status === 'funded' || deal.status === 'transferring' || deal.status === 'transferred',
  resolve: (deal: DealModel, outcome: 'refund_buyer' | 'pay_seller'): boolean =>
    deal.status === 'disputed' && (outcome === 'refund_buyer' || deal.disputedFrom === 'transferred'),
};

// ---- effects of legal commands: each changes the model as the service must ---------------------

export function verified(listing: ListingModel): void {
  listing.status = 'available';
  listing.verifiedFaceValueCents = listing.claimedFaceValueCents;
  listing.availableFaceValueCents = listing.claimedFaceValueCents;
  listing.streamRevision += 1;
}

export function verificationFailed(listing: ListingModel): void {
  listing.status = 'rejected';
  listing.streamRevision += 1;
}

export function repriced(listing: ListingModel, askPriceCents: bigint): void {
  listing.askPriceCents = askPriceCents;
  listing.streamRevision += 1;
}

/** Only the unreserved part is withdrawn; open reservations end through their deals. */
export function withdrawn(listing: ListingModel): void {
  listing.status = 'withdrawn';
  listing.availableFaceValueCents = 0n;
  listing.streamRevision += 1;
}

export function dealOpened(model: LifecycleModel, id: string, faceValueCents: bigint, priceCents: bigint): void {
  model.listing.availableFaceValueCents -= faceValueCents;
  model.listing.reservedFaceValueCents += faceValueCents;
  model.listing.streamRevision += 1;
  model.deals.push({
    id,
    status: 'awaiting_approvals',
    faceValueCents,
    priceCents,
    commissionBps: MODEL_COMMISSION_BPS,
    paidCents: 0n,
    termsVersion: 1,
    approvals: new Set(),
    transferAttempts: 0,
    confirmedFaceValueCents: null,
    disputedFrom: null,
    reservationSettled: false,
    streamRevision: 0,
  });
}

/** Terms amended: a new version, every approval void. */
export function amended(deal: DealModel, priceCents: bigint): void {
  deal.priceCents = priceCents;
  deal.termsVersion += 1;
  deal.approvals = new Set();
  deal.status = 'awaiting_approvals';
  deal.streamRevision += 1;
}

export function approved(deal: DealModel, party: Party): void {
  deal.approvals.add(party);
  if (deal.approvals.size === 2) deal.status = 'approved';
  deal.streamRevision += 1;
}

export function paid(deal: DealModel, amountCents: bigint): void {
  deal.paidCents += amountCents;
  if (deal.paidCents === deal.priceCents) deal.status = 'funded';
  deal.streamRevision += 1;
}

export function transferStarted(deal: DealModel): void {
  deal.status = 'transferring';
  deal.transferAttempts += 1;
  deal.streamRevision += 1;
}

export function transferConfirmed(deal: DealModel, confirmedFaceValueCents: bigint): void {
  deal.status = 'transferred';
  deal.confirmedFaceValueCents = confirmedFaceValueCents;
  deal.streamRevision += 1;
}

export function transferFailed(deal: DealModel): void {
  deal.status = 'funded';
  deal.streamRevision += 1;
}

/** SellerPayoutIssued and DealSettled. */
export function paidOut(model: LifecycleModel, deal: DealModel): void {
  deal.status = 'settled';
  deal.streamRevision += 2;
  settleReservation(model, deal);
}

export function rejected(model: LifecycleModel, deal: DealModel): void {
  deal.status = 'rejected';
  deal.streamRevision += 1;
  settleReservation(model, deal);
}

/** DealCancelled, and BuyerRefunded when anything was paid. */
export function cancelled(model: LifecycleModel, deal: DealModel): void {
  deal.status = 'cancelled';
  deal.streamRevision += deal.paidCents > 0n ? 2 : 1;
  settleReservation(model, deal);
}

export function disputed(deal: DealModel): void {
  deal.disputedFrom = deal.status as Disputable;
  deal.status = 'disputed';
  deal.streamRevision += 1;
}

/**
 * DisputeResolved and its money facts: refund_buyer cancels (and refunds
 * what was paid); pay_seller with a payout reference pays out and settles,
 * without one puts the deal back to transferred.
 */
export function resolved(model: LifecycleModel, deal: DealModel, outcome: 'refund_buyer' | 'pay_seller', withPayout: boolean): void {
  deal.disputedFrom = null;
  if (outcome === 'refund_buyer') {
    deal.status = 'cancelled';
    deal.streamRevision += deal.paidCents > 0n ? 2 : 1;
    settleReservation(model, deal);
  } else if (withPayout) {
    deal.status = 'settled';
    deal.streamRevision += 3;
    settleReservation(model, deal);
  } else {
    deal.status = 'transferred';
    deal.streamRevision += 1;
  }
}

/**
 * What the reservation process manager records on the listing when a deal
 * ends: the confirmed face value sold (ListingSold), or the whole reservation
 * released (ListingReservationReleased). What is not sold goes back to the
 * market while the listing is available (to the withdrawn part otherwise);
 * an available listing with nothing left or reserved is sold out.
 */
function settleReservation(model: LifecycleModel, deal: DealModel): void {
  const listing = model.listing;
  deal.reservationSettled = true;
  listing.reservedFaceValueCents -= deal.faceValueCents;
  const sold = deal.confirmedFaceValueCents ?? 0n;
  listing.soldFaceValueCents += sold;
  if (listing.status === 'available') listing.availableFaceValueCents += deal.faceValueCents - sold;
  listing.streamRevision += 1;
  if (deal.confirmedFaceValueCents !== null && listing.status === 'available' && listing.availableFaceValueCents === 0n && listing.reservedFaceValueCents === 0n) {
    listing.status = 'sold_out';
  }
}

// ---- the read models' fields the model predicts -------------------------------------------------

export function expectedListingView(listing: ListingModel): Record<string, string | number | null> {
  return {
    id: listing.id,
    status: listing.status,
    faceValueCents: listing.claimedFaceValueCents.toString(),
    verifiedFaceValueCents: listing.verifiedFaceValueCents.toString(),
    availableFaceValueCents: listing.availableFaceValueCents.toString(),
    reservedFaceValueCents: listing.reservedFaceValueCents.toString(),
    soldFaceValueCents: listing.soldFaceValueCents.toString(),
    askPriceCents: listing.askPriceCents.toString(),
    streamRevision: listing.streamRevision,
  };
}

export function expectedDealView(deal: DealModel, listingId: string): Record<string, string | number | null> {
  const commissionCents = commissionOf(deal.priceCents, deal.commissionBps);
  return {
    id: deal.id,
    listingId,
    status: deal.status,
    faceValueCents: deal.faceValueCents.toString(),
    priceCents: deal.priceCents.toString(),
    commissionBps: deal.commissionBps,
    commissionCents: commissionCents.toString(),
    payoutCents: (deal.priceCents - commissionCents).toString(),
    paidCents: deal.paidCents.toString(),
    termsVersion: deal.termsVersion,
    streamRevision: deal.streamRevision,
  };
}

/** The fields of `actual` the model predicts, where they differ: empty when the view equals the model. */
export function viewDifferences(expected: Readonly<Record<string, unknown>>, actual: Readonly<Record<string, unknown>>): string[] {
  const differences: string[] = [];
  for (const [field, value] of Object.entries(expected)) {
    if (actual[field] !== value) differences.push(`${field}: model ${JSON.stringify(value)}, read model ${JSON.stringify(actual[field])}`);
  }
  return differences;
}
