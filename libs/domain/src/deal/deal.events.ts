/**
 * The facts of a deal stream, in the past tense (shared/DOMAIN.md, "Deal
 * lifecycle", plus DealTermsAmended). Money is bigint cents and times are
 * Dates here; deal.codec.ts turns them into decimal and ISO strings.
 *
 * Statuses that DOMAIN.md names but records no fact for (approved, funded)
 * follow from the facts: both approvals of the current terms, payments
 * adding up to the price.
 */
import type { Cents } from '../money.js';
import type { DealEvidence, DealParty, DisputeOutcome, TransferMechanism } from './deal.commands.js';

/** The money terms a deal is approved on. Commission is fixed with the price: recomputed only by an amendment. */
export interface DealTerms {
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly commissionBps: number;
  /** commissionCents(priceCents, commissionBps): rounded down. */
  readonly commissionCents: Cents;
  /** priceCents - commissionCents: what the seller is paid out. */
  readonly payoutCents: Cents;
}

export interface DealOpened {
  readonly type: 'DealOpened';
  readonly data: DealTerms & {
    readonly dealId: string;
    readonly listingId: string;
    readonly sellerId: string;
    readonly buyerId: string;
    readonly brokerId: string;
    readonly currency: string;
    /** Always 1: the opening terms. */
    readonly termsVersion: number;
    readonly approvalDeadline: Date;
    readonly creditExpiresAt: Date;
    readonly openedAt: Date;
    readonly buyRequestId?: string;
  };
}

export interface DealTermsAmended {
  readonly type: 'DealTermsAmended';
  /** The whole new terms, not a difference, so a reader needs no earlier event. */
  readonly data: DealTerms & {
    readonly dealId: string;
    readonly termsVersion: number;
    readonly amendedAt: Date;
  };
}

export interface DealApproved {
  readonly type: 'DealApproved';
  readonly data: {
    readonly dealId: string;
    readonly party: DealParty;
    readonly termsVersion: number;
    readonly approvedBy: string;
    readonly evidence?: DealEvidence;
    readonly approvedAt: Date;
  };
}

export interface DealRejected {
  readonly type: 'DealRejected';
  readonly data: {
    readonly dealId: string;
    readonly party: DealParty;
    readonly reason: string;
    readonly rejectedBy: string;
    readonly rejectedAt: Date;
  };
}

export interface BuyerPaymentReceived {
  readonly type: 'BuyerPaymentReceived';
  readonly data: {
    readonly dealId: string;
    readonly amountCents: Cents;
    readonly paymentRef: string;
    readonly receivedAt: Date;
  };
}

export interface CreditTransferStarted {
  readonly type: 'CreditTransferStarted';
  readonly data: {
    readonly dealId: string;
    readonly mechanism: TransferMechanism;
    readonly reference: string;
    /** 1 for the first attempt; a failed transfer may start again. */
    readonly attempt: number;
    readonly startedAt: Date;
  };
}

export interface CreditTransferConfirmed {
  readonly type: 'CreditTransferConfirmed';
  readonly data: {
    readonly dealId: string;
    readonly confirmedFaceValueCents: Cents;
    readonly evidence: DealEvidence;
    readonly confirmedAt: Date;
  };
}

export interface CreditTransferFailed {
  readonly type: 'CreditTransferFailed';
  readonly data: {
    readonly dealId: string;
    readonly reason: string;
    readonly failedAt: Date;
  };
}

export interface SellerPayoutIssued {
  readonly type: 'SellerPayoutIssued';
  readonly data: {
    readonly dealId: string;
    /** price - commission. */
    readonly amountCents: Cents;
    /** The broker's commission kept from the price. */
    readonly commissionCents: Cents;
    readonly payoutRef: string;
    readonly issuedAt: Date;
  };
}

export interface DealSettled {
  readonly type: 'DealSettled';
  readonly data: {
    readonly dealId: string;
    readonly settledAt: Date;
  };
}

export interface DealCancelled {
  readonly type: 'DealCancelled';
  readonly data: {
    readonly dealId: string;
    readonly reason: string;
    readonly cancelledAt: Date;
  };
}

export const REFUND_CAUSES = ['deal_cancelled', 'deal_expired', 'dispute_resolved'] as const;
export type RefundCause = (typeof REFUND_CAUSES)[number];

export interface BuyerRefunded {
  readonly type: 'BuyerRefunded';
  readonly data: {
    readonly dealId: string;
    /** Everything paid and not yet refunded. */
    readonly amountCents: Cents;
    /** The fact that made the refund due: it always follows that fact in the same append. */
    readonly cause: RefundCause;
    readonly refundedAt: Date;
  };
}

export const DEAL_DEADLINES = ['approval', 'credit_expiry'] as const;
export type DealDeadline = (typeof DEAL_DEADLINES)[number];

export interface DealExpired {
  readonly type: 'DealExpired';
  readonly data: {
    readonly dealId: string;
    readonly deadline: DealDeadline;
    readonly expiredAt: Date;
  };
}

export interface DealDisputed {
  readonly type: 'DealDisputed';
  readonly data: {
    readonly dealId: string;
    readonly reason: string;
    readonly disputedAt: Date;
  };
}

export interface DisputeResolved {
  readonly type: 'DisputeResolved';
  readonly data: {
    readonly dealId: string;
    readonly outcome: DisputeOutcome;
    readonly resolvedAt: Date;
  };
}

/** The deal changed hands: `toBrokerId` brokers it from now on (its commission terms stay as they are). */
export interface DealBrokerReassigned {
  readonly type: 'DealBrokerReassigned';
  readonly data: {
    readonly dealId: string;
    readonly fromBrokerId: string;
    readonly toBrokerId: string;
    readonly reassignedAt: Date;
  };
}

export type DealEvent =
  | DealOpened
  | DealTermsAmended
  | DealApproved
  | DealRejected
  | BuyerPaymentReceived
  | CreditTransferStarted
  | CreditTransferConfirmed
  | CreditTransferFailed
  | SellerPayoutIssued
  | DealSettled
  | DealCancelled
  | BuyerRefunded
  | DealExpired
  | DealDisputed
  | DisputeResolved
  | DealBrokerReassigned;

export type DealEventType = DealEvent['type'];

export const DEAL_EVENT_TYPES = [
  'DealOpened',
  'DealTermsAmended',
  'DealApproved',
  'DealRejected',
  'BuyerPaymentReceived',
  'CreditTransferStarted',
  'CreditTransferConfirmed',
  'CreditTransferFailed',
  'SellerPayoutIssued',
  'DealSettled',
  'DealCancelled',
  'BuyerRefunded',
  'DealExpired',
  'DealDisputed',
  'DisputeResolved',
  'DealBrokerReassigned',
] as const satisfies readonly DealEventType[];

export function isDealEventType(type: string): type is DealEventType {
  return (DEAL_EVENT_TYPES as readonly string[]).includes(type);
}

/** The facts that move money or credits: none may be decided before both parties approved the current terms. */
export const DEAL_MONEY_EVENT_TYPES = ['BuyerPaymentReceived', 'CreditTransferStarted', 'CreditTransferConfirmed', 'SellerPayoutIssued'] as const satisfies readonly DealEventType[];

/** Compile-time check that DEAL_EVENT_TYPES names every event type. */
const _everyDealEventTypeListed: [Exclude<DealEventType, (typeof DEAL_EVENT_TYPES)[number]>] extends [never] ? true : never = true;
