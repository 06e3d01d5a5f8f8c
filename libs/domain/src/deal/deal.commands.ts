/**
 * What a broker (or a process manager, or the deadline worker) asks of one
 * deal stream. Every command names its deal and carries the ids and actor
 * fields its facts record; `now` is the decider's argument, never read here.
 */
import type { Cents } from '../money.js';

export const DEAL_PARTIES = ['seller', 'buyer'] as const;
export type DealParty = (typeof DEAL_PARTIES)[number];

export const TRANSFER_MECHANISMS = ['organization_membership', 'reseller_arrangement', 'managed_service'] as const;
export type TransferMechanism = (typeof TRANSFER_MECHANISMS)[number];

export const DISPUTE_OUTCOMES = ['refund_buyer', 'pay_seller'] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/** What a party or a transfer shows as proof: how it was given and where it lies (an e-mail, a ticket, a screenshot). */
export interface DealEvidence {
  readonly method: string;
  readonly reference: string;
}

export interface OpenDeal {
  readonly type: 'OpenDeal';
  readonly dealId: string;
  readonly listingId: string;
  readonly sellerId: string;
  readonly buyerId: string;
  readonly brokerId: string;
  /** The listing's currency: price and face value are in it. */
  readonly currency: string;
  /** The face value reserved on the listing for this deal. */
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly commissionBps: number;
  /** The listing's (verified) credit expiry. */
  readonly creditExpiresAt: Date;
  /** The buyer's standing request this deal fills, if any. */
  readonly buyRequestId?: string;
}

/** Changes any of the terms; what is left out stays. Raises the terms version and voids every approval. */
export interface AmendDealTerms {
  readonly type: 'AmendDealTerms';
  readonly dealId: string;
  readonly priceCents?: Cents;
  readonly faceValueCents?: Cents;
  readonly commissionBps?: number;
  /** The deal's reservation on the listing (read from the listing stream): the face value must stay within it. */
  readonly reservedFaceValueCents: Cents;
}

export interface ApproveDeal {
  readonly type: 'ApproveDeal';
  readonly dealId: string;
  readonly party: DealParty;
  /** The terms version the party saw: an approval of other terms is refused. */
  readonly termsVersion: number;
  /** Who approved for the party (a person at the seller or buyer). */
  readonly approvedBy: string;
  readonly evidence?: DealEvidence;
}

export interface RejectDeal {
  readonly type: 'RejectDeal';
  readonly dealId: string;
  readonly party: DealParty;
  readonly reason: string;
  readonly rejectedBy: string;
}

export interface ReceiveBuyerPayment {
  readonly type: 'ReceiveBuyerPayment';
  readonly dealId: string;
  readonly amountCents: Cents;
  /** The bank's reference: a payment recorded twice under one reference is counted once. */
  readonly paymentRef: string;
}

export interface StartCreditTransfer {
  readonly type: 'StartCreditTransfer';
  readonly dealId: string;
  readonly mechanism: TransferMechanism;
  readonly reference: string;
}

export interface ConfirmCreditTransfer {
  readonly type: 'ConfirmCreditTransfer';
  readonly dealId: string;
  readonly confirmedFaceValueCents: Cents;
  readonly evidence: DealEvidence;
}

export interface FailCreditTransfer {
  readonly type: 'FailCreditTransfer';
  readonly dealId: string;
  readonly reason: string;
}

export interface IssueSellerPayout {
  readonly type: 'IssueSellerPayout';
  readonly dealId: string;
  readonly payoutRef: string;
}

export interface CancelDeal {
  readonly type: 'CancelDeal';
  readonly dealId: string;
  readonly reason: string;
}

/** Sent by the deadline worker (or anyone) once a deadline has passed; refused before. */
export interface ExpireDeal {
  readonly type: 'ExpireDeal';
  readonly dealId: string;
}

export interface DisputeDeal {
  readonly type: 'DisputeDeal';
  readonly dealId: string;
  readonly reason: string;
}

export interface ResolveDispute {
  readonly type: 'ResolveDispute';
  readonly dealId: string;
  readonly outcome: DisputeOutcome;
  /**
   * With `pay_seller`: the payout's reference, so the payout is issued and
   * the deal settled at once. Without it the deal returns to `transferred`
   * and IssueSellerPayout pays out later. Ignored with `refund_buyer`.
   */
  readonly payoutRef?: string;
}

/**
 * Hands the deal to another broker (an admin's command: POST /v1/deals/:id/broker).
 * From then on only the new broker sees and acts on it.
 */
export interface ReassignDealBroker {
  readonly type: 'ReassignDealBroker';
  readonly dealId: string;
  readonly brokerId: string;
}

export type DealCommand =
  | OpenDeal
  | AmendDealTerms
  | ApproveDeal
  | RejectDeal
  | ReceiveBuyerPayment
  | StartCreditTransfer
  | ConfirmCreditTransfer
  | FailCreditTransfer
  | IssueSellerPayout
  | CancelDeal
  | ExpireDeal
  | DisputeDeal
  | ResolveDispute
  | ReassignDealBroker;

export type DealCommandType = DealCommand['type'];
