/**
 * The money view of a deal before it exists (POST /v1/deals/quote): the
 * discount against face value, the commission, the seller's payout, and the
 * journal entries the deal would post if it ran its course (one payment of
 * the whole price, a transfer confirming the whole face value, the payout).
 * The same posting rules as the ledger (deal-journal.ts), so a quote never
 * disagrees with the books.
 */
import { requireCommissionBps, requireCurrency, requireId, requirePositiveCents } from '../command-fields.js';
import { invariant } from '../invariant.js';
import { BASIS_POINTS_PER_WHOLE, type Cents } from '../money.js';
import {
  type JournalEntry,
  buyerPaymentEntry,
  creditsDeliveredEntry,
  creditsReservedEntry,
  escrowReleasedEntry,
  sellerPayoutEntry,
} from './deal-journal.js';
import { dealTerms } from './deal.decide.js';

export interface DealQuoteRequest {
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly commissionBps: number;
  readonly sellerId: string;
  readonly buyerId: string;
  readonly currency: string;
}

export interface DealQuote {
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly currency: string;
  /** How far the price lies below face value, in basis points rounded down; negative when the price exceeds it. */
  readonly discountBps: number;
  readonly commissionBps: number;
  readonly commissionCents: Cents;
  readonly payoutCents: Cents;
  /** In the order the deal would post them: credits_reserved, buyer_payment, credits_delivered, escrow_released, seller_payout. */
  readonly journal: readonly JournalEntry[];
}

/** Throws a DomainError (INVALID_*) for fields a deal could not be opened with. */
export function quoteDeal(request: DealQuoteRequest): DealQuote {
  requirePositiveCents(request.faceValueCents, 'faceValueCents');
  requirePositiveCents(request.priceCents, 'priceCents');
  requireCommissionBps(request.commissionBps);
  requireId(request.sellerId, 'sellerId');
  requireId(request.buyerId, 'buyerId');
  requireCurrency(request.currency);
  const terms = dealTerms(request.faceValueCents, request.priceCents, request.commissionBps);
  const parties = { sellerId: request.sellerId, buyerId: request.buyerId, currency: request.currency };
  return {
    faceValueCents: terms.faceValueCents,
    priceCents: terms.priceCents,
    currency: request.currency,
    discountBps: faceValueDiscountBps(terms.faceValueCents, terms.priceCents),
    commissionBps: terms.commissionBps,
    commissionCents: terms.commissionCents,
    payoutCents: terms.payoutCents,
    journal: [
      ...creditsReservedEntry(parties, terms.faceValueCents),
      ...buyerPaymentEntry(parties, terms.priceCents),
      ...creditsDeliveredEntry(parties, terms.faceValueCents, terms.faceValueCents),
      ...escrowReleasedEntry(parties, terms.priceCents, terms.commissionCents),
      ...sellerPayoutEntry(parties, terms.payoutCents),
    ],
  };
}

/**
 * floor((face value - price) x 10,000 / face value): 5,000 for half off,
 * 0 at face value, negative above it. Exact: bigint arithmetic, rounded
 * toward minus infinity so a quoted discount is never overstated.
 */
export function faceValueDiscountBps(faceValueCents: Cents, priceCents: Cents): number {
  invariant(faceValueCents > 0n, 'a discount needs a positive face value');
  const numerator = (faceValueCents - priceCents) * BASIS_POINTS_PER_WHOLE;
  const quotient = numerator / faceValueCents;
  const floored = numerator % faceValueCents !== 0n && numerator < 0n ? quotient - 1n : quotient;
  return Number(floored);
}
