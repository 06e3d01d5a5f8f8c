/**
 * The books of a deal (shared/DOMAIN.md, "The books"): which double-entry
 * journal entries each deal fact produces. Pure posting rules; the ledger
 * projection stores them (adding ids and the deal id) and sums balances.
 *
 * Sign convention (shared/API.md, journal entry): a debit is positive, a
 * credit negative, and every entry's postings sum to zero. Amounts are in
 * the deal's currency: money in cents of price, credits in cents of face
 * value. Accounts:
 *
 * | account                    | holds                                                      |
 * |----------------------------|------------------------------------------------------------|
 * | `cash`                     | the broker's bank: debit when money comes in               |
 * | `escrow:buyer:<buyerId>`   | buyer money held until the credits are delivered (credit)  |
 * | `payable:seller:<sellerId>`| what the broker owes the seller after delivery (credit)    |
 * | `revenue:commission`       | the broker's commission, earned at delivery (credit)       |
 * | `credits:listed:<sellerId>`| face value taken from (credit) or returned to the seller's listing |
 * | `credits:reserved`         | face value held for deals in progress (debit)              |
 * | `credits:delivered:<buyerId>` | face value delivered to the buyer (debit)               |
 * | `credits:expired`          | face value lost to expiry (debit)                          |
 *
 * Entries, by fact:
 * - DealOpened -> `credits_reserved`: Dr credits:reserved F, Cr credits:listed:S F.
 * - BuyerPaymentReceived -> `buyer_payment`: Dr cash A, Cr escrow:buyer:B A.
 * - CreditTransferConfirmed -> `credits_delivered`: Dr credits:delivered:B c,
 *   Dr credits:listed:S (F - c), Cr credits:reserved F; and `escrow_released`:
 *   Dr escrow:buyer:B P, Cr payable:seller:S (P - C), Cr revenue:commission C.
 *   Delivery is when the buyer's money becomes the seller's and the broker's.
 * - SellerPayoutIssued -> `seller_payout`: Dr payable:seller:S (P - C), Cr cash (P - C).
 * - DealRejected, DealCancelled, DealExpired (either deadline), DisputeResolved
 *   (refund_buyer, before delivery) -> `credits_returned`: Dr credits:listed:S F, Cr credits:reserved F.
 * - BuyerRefunded -> `buyer_refund`: before delivery Dr escrow:buyer:B A, Cr cash A;
 *   after delivery (a dispute resolved for the buyer) Dr payable:seller:S (P - C),
 *   Dr revenue:commission C, Cr cash P.
 * Other facts post nothing. F is the face value reserved at opening, c the
 * confirmed face value, P the price, C the commission, A the amount.
 *
 * So after settlement the deal's escrow and payable are zero, cash holds the
 * commission and revenue:commission its credit; after a cancellation or an
 * expiry, escrow is zero again. Postings of zero are left out, and an entry
 * left with no postings is not produced.
 *
 * Face value lost to expiry is written off from the listing's side
 * (listing-journal.ts): a deal gives its reserved credits back to the
 * listing however it ends, and what the listing then counts as expired (its
 * available part when ListingExpired is recorded, and whatever deals give
 * back to it afterwards) moves from credits:listed:S to credits:expired. So
 * credits:expired is exactly the listings' expired face value, counted once,
 * whichever of a deal's credit expiry and its listing's expiry is recorded
 * first. The listing's other movements (verification, withdrawal) are not
 * posted.
 */
import { invariant } from '../invariant.js';
import type { Cents } from '../money.js';
import type { DealEvent } from './deal.events.js';
import type { DealState, ExistingDeal } from './deal.state.js';

export const CASH_ACCOUNT = 'cash';
export const COMMISSION_REVENUE_ACCOUNT = 'revenue:commission';
export const RESERVED_CREDITS_ACCOUNT = 'credits:reserved';
export const EXPIRED_CREDITS_ACCOUNT = 'credits:expired';

export function buyerEscrowAccount(buyerId: string): string {
  return `escrow:buyer:${buyerId}`;
}

export function sellerPayableAccount(sellerId: string): string {
  return `payable:seller:${sellerId}`;
}

export function listedCreditsAccount(sellerId: string): string {
  return `credits:listed:${sellerId}`;
}

export function deliveredCreditsAccount(buyerId: string): string {
  return `credits:delivered:${buyerId}`;
}

export const JOURNAL_ENTRY_KINDS = [
  'credits_reserved',
  'buyer_payment',
  'credits_delivered',
  'escrow_released',
  'seller_payout',
  'credits_returned',
  'credits_expired',
  'buyer_refund',
] as const;
export type JournalEntryKind = (typeof JOURNAL_ENTRY_KINDS)[number];

export interface JournalPosting {
  readonly account: string;
  /** Debit positive, credit negative. */
  readonly amountCents: Cents;
}

export interface JournalEntry {
  readonly kind: JournalEntryKind;
  readonly currency: string;
  readonly postings: readonly JournalPosting[];
}

/** Who and what currency a deal's entries are about. */
export interface DealBooksParties {
  readonly sellerId: string;
  readonly buyerId: string;
  readonly currency: string;
}

/** The entries one deal fact posts, given the deal as it stood before the fact. */
export function dealJournalEntries(before: DealState, event: DealEvent): JournalEntry[] {
  if (event.type === 'DealOpened') return creditsReservedEntry(event.data, event.data.faceValueCents);
  invariant(before.status !== 'none', `${event.type} posted before DealOpened`);
  const deal: ExistingDeal = before;
  switch (event.type) {
    case 'BuyerPaymentReceived':
      return buyerPaymentEntry(deal, event.data.amountCents);
    case 'CreditTransferConfirmed':
      return [
        ...creditsDeliveredEntry(deal, deal.reservedFaceValueCents, event.data.confirmedFaceValueCents),
        ...escrowReleasedEntry(deal, deal.priceCents, deal.commissionCents),
      ];
    case 'SellerPayoutIssued':
      return sellerPayoutEntry(deal, event.data.amountCents);
    case 'DealRejected':
    case 'DealCancelled':
      return creditsReturnedEntry(deal, deal.reservedFaceValueCents);
    case 'DealExpired':
      // The listing writes off what it takes back as expired (module comment).
      return creditsReturnedEntry(deal, deal.reservedFaceValueCents);
    case 'DisputeResolved':
      return event.data.outcome === 'refund_buyer' && deal.confirmedFaceValueCents === undefined ? creditsReturnedEntry(deal, deal.reservedFaceValueCents) : [];
    case 'BuyerRefunded':
      return deal.confirmedFaceValueCents === undefined
        ? buyerRefundFromEscrowEntry(deal, event.data.amountCents)
        : buyerRefundAfterDeliveryEntry(deal, event.data.amountCents);
    case 'DealTermsAmended':
    case 'DealApproved':
    case 'CreditTransferStarted':
    case 'CreditTransferFailed':
    case 'DealSettled':
    case 'DealDisputed':
    case 'DealBrokerReassigned':
      return [];
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

export function creditsReservedEntry(parties: DealBooksParties, faceValueCents: Cents): JournalEntry[] {
  return journalEntry('credits_reserved', parties.currency, [
    { account: RESERVED_CREDITS_ACCOUNT, amountCents: faceValueCents },
    { account: listedCreditsAccount(parties.sellerId), amountCents: -faceValueCents },
  ]);
}

export function buyerPaymentEntry(parties: DealBooksParties, amountCents: Cents): JournalEntry[] {
  return journalEntry('buyer_payment', parties.currency, [
    { account: CASH_ACCOUNT, amountCents },
    { account: buyerEscrowAccount(parties.buyerId), amountCents: -amountCents },
  ]);
}

export function creditsDeliveredEntry(parties: DealBooksParties, reservedFaceValueCents: Cents, deliveredFaceValueCents: Cents): JournalEntry[] {
  invariant(deliveredFaceValueCents <= reservedFaceValueCents, 'delivered face value exceeds the reservation');
  return journalEntry('credits_delivered', parties.currency, [
    { account: deliveredCreditsAccount(parties.buyerId), amountCents: deliveredFaceValueCents },
    { account: listedCreditsAccount(parties.sellerId), amountCents: reservedFaceValueCents - deliveredFaceValueCents },
    { account: RESERVED_CREDITS_ACCOUNT, amountCents: -reservedFaceValueCents },
  ]);
}

export function escrowReleasedEntry(parties: DealBooksParties, priceCents: Cents, commissionCents: Cents): JournalEntry[] {
  return journalEntry('escrow_released', parties.currency, [
    { account: buyerEscrowAccount(parties.buyerId), amountCents: priceCents },
    { account: sellerPayableAccount(parties.sellerId), amountCents: -(priceCents - commissionCents) },
    { account: COMMISSION_REVENUE_ACCOUNT, amountCents: -commissionCents },
  ]);
}

export function sellerPayoutEntry(parties: DealBooksParties, amountCents: Cents): JournalEntry[] {
  return journalEntry('seller_payout', parties.currency, [
    { account: sellerPayableAccount(parties.sellerId), amountCents },
    { account: CASH_ACCOUNT, amountCents: -amountCents },
  ]);
}

export function creditsReturnedEntry(parties: DealBooksParties, faceValueCents: Cents): JournalEntry[] {
  return journalEntry('credits_returned', parties.currency, [
    { account: listedCreditsAccount(parties.sellerId), amountCents: faceValueCents },
    { account: RESERVED_CREDITS_ACCOUNT, amountCents: -faceValueCents },
  ]);
}

/** Face value a seller's listing lost to expiry: written off from the listing to credits:expired. */
export function creditsWrittenOffEntry(parties: Pick<DealBooksParties, 'sellerId' | 'currency'>, faceValueCents: Cents): JournalEntry[] {
  return journalEntry('credits_expired', parties.currency, [
    { account: EXPIRED_CREDITS_ACCOUNT, amountCents: faceValueCents },
    { account: listedCreditsAccount(parties.sellerId), amountCents: -faceValueCents },
  ]);
}

export function buyerRefundFromEscrowEntry(parties: DealBooksParties, amountCents: Cents): JournalEntry[] {
  return journalEntry('buyer_refund', parties.currency, [
    { account: buyerEscrowAccount(parties.buyerId), amountCents },
    { account: CASH_ACCOUNT, amountCents: -amountCents },
  ]);
}

/** A refund after delivery takes back what delivery released: the seller's payable and the commission. */
function buyerRefundAfterDeliveryEntry(deal: ExistingDeal, amountCents: Cents): JournalEntry[] {
  invariant(amountCents === deal.priceCents && deal.paidOutCents === 0n, `deal ${deal.dealId} refunds after delivery other than the whole, unpaid-out price`);
  return journalEntry('buyer_refund', deal.currency, [
    { account: sellerPayableAccount(deal.sellerId), amountCents: deal.payoutCents },
    { account: COMMISSION_REVENUE_ACCOUNT, amountCents: deal.commissionCents },
    { account: CASH_ACCOUNT, amountCents: -amountCents },
  ]);
}

/** One balanced entry without zero postings, or none when nothing moves. */
function journalEntry(kind: JournalEntryKind, currency: string, postings: readonly JournalPosting[]): JournalEntry[] {
  const moving = postings.filter((posting) => posting.amountCents !== 0n);
  invariant(
    moving.reduce((sum, posting) => sum + posting.amountCents, 0n) === 0n,
    `journal entry ${kind} does not balance`,
  );
  return moving.length === 0 ? [] : [{ kind, currency, postings: moving }];
}
