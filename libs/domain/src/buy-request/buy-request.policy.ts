/**
 * Buy-request rules shared by the decider, match suggestions
 * (GET /v1/buy-requests/:id/matches, GET /v1/listings/:id/matches) and
 * POST /v1/deals with a buyRequestId: whether an offer of credits fits a
 * request, the order suggestions are ranked in, and an offer's discount.
 * Pure: `now` is an argument; money is compared in bigint, never as a float.
 */
import type { CreditType } from '../command-fields.js';
import { faceValueDiscountBps } from '../deal/deal-quote.js';
import { invariant } from '../invariant.js';
import { BASIS_POINTS_PER_WHOLE, type Cents } from '../money.js';
import { type BuyRequestRecord, type BuyRequestStatus, type ExistingBuyRequest, unfilledFaceValueCents } from './buy-request.state.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deals that may ever fill one request. A standing demand is met by a
 * handful of listings; the limit keeps the stream, and its fold, small.
 */
export const MAX_FILLS_PER_BUY_REQUEST = 1_000;

/**
 * The largest least-remaining-validity a buyer may ask for: ten years.
 * Credits expire within 12 months of purchase (grants in 3 to 12, per
 * shared/DOMAIN.md), so anything near this matches nothing anyway.
 */
export const MAX_MIN_VALIDITY_DAYS = 3_650;

/** Credits on offer to a request: a deal's terms, or what a listing has available for a suggestion. */
export interface BuyRequestOffer {
  /** The listing the credits come from; the ranking's last tie-break. */
  readonly listingId: string;
  readonly provider: string;
  readonly creditType: CreditType;
  /** The face value the offer would fill (positive). */
  readonly faceValueCents: Cents;
  /** The price for exactly that face value. */
  readonly priceCents: Cents;
  readonly creditExpiresAt: Date;
}

/** What the fit needs of a request: its state, or a read model's row of it. */
export type BuyRequestTerms = Pick<
  BuyRequestRecord,
  'provider' | 'creditTypes' | 'faceValueCents' | 'filledFaceValueCents' | 'maxPriceBps' | 'minValidityDays' | 'deadline'
> & { readonly status: BuyRequestStatus };

/** Why an offer does not fit a request, in the order offerMismatches lists them. */
export const OFFER_MISMATCHES = [
  'provider_differs',
  'credit_type_not_accepted',
  'price_above_ceiling',
  'validity_too_short',
  'face_value_above_unfilled',
  'request_not_open',
  'request_deadline_passed',
] as const;

export type OfferMismatch = (typeof OFFER_MISMATCHES)[number];

/** Every reason the offer does not fit the request at `now`; none means it fits. */
export function offerMismatches(request: BuyRequestTerms, offer: BuyRequestOffer, now: Date): OfferMismatch[] {
  assertOffer(offer);
  const mismatches: OfferMismatch[] = [];
  if (offer.provider !== request.provider) mismatches.push('provider_differs');
  if (!request.creditTypes.includes(offer.creditType)) mismatches.push('credit_type_not_accepted');
  if (isPriceAboveCeiling(offer.priceCents, offer.faceValueCents, request.maxPriceBps)) mismatches.push('price_above_ceiling');
  // Exactly the minimum validity is enough: the buyer asked for at least that much.
  if (offer.creditExpiresAt.getTime() - now.getTime() < request.minValidityDays * DAY_MS) mismatches.push('validity_too_short');
  if (offer.faceValueCents > unfilledFaceValueCents(request)) mismatches.push('face_value_above_unfilled');
  if (request.status !== 'open') mismatches.push('request_not_open');
  if (now >= request.deadline) mismatches.push('request_deadline_passed');
  return mismatches;
}

export function offerFits(request: BuyRequestTerms, offer: BuyRequestOffer, now: Date): boolean {
  return offerMismatches(request, offer, now).length === 0;
}

/** A deal about to be opened from a request: its offer of credits and its buyer. */
export interface DealFromBuyRequest extends BuyRequestOffer {
  readonly buyerId: string;
}

/** Why a deal may not be opened from a request, in the order dealMismatches lists them: an offer's reasons and the deal's own. */
export const DEAL_MISMATCHES = ['buyer_differs', ...OFFER_MISMATCHES, 'request_fill_limit_reached'] as const;

export type DealMismatch = (typeof DEAL_MISMATCHES)[number];

/**
 * Every reason the deal does not fit the request at `now` (POST /v1/deals
 * with a buyRequestId answers them as BUY_REQUEST_MISMATCH); none means it
 * fits. Beyond the offer's fit: the request is the deal buyer's own, and it
 * can take one more fill.
 */
export function dealMismatches(request: ExistingBuyRequest, deal: DealFromBuyRequest, now: Date): DealMismatch[] {
  const mismatches: DealMismatch[] = [];
  if (deal.buyerId !== request.buyerId) mismatches.push('buyer_differs');
  mismatches.push(...offerMismatches(request, deal, now));
  if (request.fills.size + request.releasedFills.size >= MAX_FILLS_PER_BUY_REQUEST) mismatches.push('request_fill_limit_reached');
  return mismatches;
}

/**
 * price / face value > maxPriceBps / 10,000, cross-multiplied so that it is
 * exact: a price exactly at the ceiling fits.
 */
export function isPriceAboveCeiling(priceCents: Cents, faceValueCents: Cents, maxPriceBps: number): boolean {
  return priceCents * BASIS_POINTS_PER_WHOLE > BigInt(maxPriceBps) * faceValueCents;
}

/**
 * The order of match suggestions, best first: the lowest price per face
 * value (fractions compared by cross-multiplication), then the credits that
 * expire soonest (they are the ones that must move now), then the largest
 * face value, then the listing id, so that no two different listings tie.
 */
export function compareBuyRequestOffers(a: BuyRequestOffer, b: BuyRequestOffer): number {
  assertOffer(a);
  assertOffer(b);
  const byPrice = compareCents(a.priceCents * b.faceValueCents, b.priceCents * a.faceValueCents);
  if (byPrice !== 0) return byPrice;
  const byExpiry = Math.sign(a.creditExpiresAt.getTime() - b.creditExpiresAt.getTime());
  if (byExpiry !== 0) return byExpiry;
  const byFaceValue = compareCents(b.faceValueCents, a.faceValueCents);
  if (byFaceValue !== 0) return byFaceValue;
  return a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0;
}

/** The offers that fit the request at `now`, best first. */
export function rankOffersForBuyRequest(request: BuyRequestTerms, offers: readonly BuyRequestOffer[], now: Date): BuyRequestOffer[] {
  return offers.filter((offer) => offerFits(request, offer, now)).sort(compareBuyRequestOffers);
}

/** floor((face value - price) x 10,000 / face value): the discount a suggestion shows, as a quote computes it. */
export function offerDiscountBps(offer: Pick<BuyRequestOffer, 'faceValueCents' | 'priceCents'>): number {
  return faceValueDiscountBps(offer.faceValueCents, offer.priceCents);
}

function compareCents(a: Cents, b: Cents): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An offer of no face value or a negative price has no price per face value: the caller built it wrong. */
function assertOffer(offer: BuyRequestOffer): void {
  invariant(offer.faceValueCents > 0n, `offer of listing ${offer.listingId} has no face value`);
  invariant(offer.priceCents >= 0n, `offer of listing ${offer.listingId} has a negative price`);
  invariant(!Number.isNaN(offer.creditExpiresAt.getTime()), `offer of listing ${offer.listingId} has an invalid credit expiry`);
}
