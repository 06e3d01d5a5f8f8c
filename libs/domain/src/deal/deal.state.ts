/**
 * A deal as its events leave it: a union tagged by `status`.
 *
 * - `none`: no event yet.
 * - `awaiting_approvals`: opened or amended; not both parties approved the
 *   current terms version.
 * - `approved`: both parties approved the current terms version. Payments
 *   are accepted; the terms may still be amended while nothing is paid.
 * - `funded`: payments add up to the price; the terms are locked.
 * - `transferring`: a credit transfer was started and is neither confirmed
 *   nor failed (a failure returns the deal to `funded`).
 * - `transferred`: the transfer was confirmed; the seller may be paid out.
 * - `settled`: paid out. Final.
 * - `rejected`: a party rejected the terms. Final.
 * - `cancelled`: cancelled by the broker, or a dispute resolved by
 *   refunding the buyer. Final; everything paid is refunded.
 * - `expired`: a deadline passed (approval, or the credit expiry before a
 *   confirmed transfer). Final; everything paid is refunded.
 * - `disputed`: someone disputed the deal; only a resolution moves it on.
 *
 * Money invariants, always: commissionCents + payoutCents = priceCents;
 * paidCents <= priceCents; refundedCents <= paidCents.
 */
import type { Cents } from '../money.js';
import type { DealEvidence, DealParty, DisputeOutcome, TransferMechanism } from './deal.commands.js';
import type { DealDeadline, DealTerms } from './deal.events.js';

/** One party's approval; it names the terms version approved, always the current one (an amendment voids approvals). */
export interface DealApproval {
  readonly termsVersion: number;
  readonly approvedBy: string;
  readonly approvedAt: Date;
  readonly evidence?: DealEvidence;
}

export type DealApprovals = Readonly<Partial<Record<DealParty, DealApproval>>>;

export interface DealPayment {
  readonly paymentRef: string;
  readonly amountCents: Cents;
  readonly receivedAt: Date;
}

/** The latest transfer attempt. */
export interface DealTransfer {
  readonly mechanism: TransferMechanism;
  readonly reference: string;
  readonly attempt: number;
  readonly startedAt: Date;
}

export interface DealPayout {
  readonly payoutRef: string;
  readonly amountCents: Cents;
  readonly issuedAt: Date;
}

export type DisputableDealStatus = 'approved' | 'funded' | 'transferring' | 'transferred';

export interface DealDispute {
  readonly reason: string;
  readonly disputedAt: Date;
  /** Where the deal stood when disputed. */
  readonly disputedFrom: DisputableDealStatus;
  readonly resolution?: { readonly outcome: DisputeOutcome; readonly resolvedAt: Date };
}

/** What every deal that exists holds. */
export interface DealRecord extends DealTerms {
  readonly dealId: string;
  readonly listingId: string;
  readonly sellerId: string;
  readonly buyerId: string;
  readonly brokerId: string;
  readonly currency: string;
  /** The face value reserved on the listing at opening: what the books hold in `credits:reserved` for this deal. */
  readonly reservedFaceValueCents: Cents;
  /** 1 at opening, raised by every amendment. */
  readonly termsVersion: number;
  /** Approvals of the current terms version only. */
  readonly approvals: DealApprovals;
  readonly approvalDeadline: Date;
  readonly creditExpiresAt: Date;
  readonly openedAt: Date;
  readonly buyRequestId?: string;
  readonly payments: readonly DealPayment[];
  readonly paidCents: Cents;
  readonly refundedCents: Cents;
  readonly paidOutCents: Cents;
  readonly transferAttempts: number;
  readonly transfer?: DealTransfer;
  readonly lastTransferFailure?: { readonly reason: string; readonly failedAt: Date };
  readonly confirmedFaceValueCents?: Cents;
  readonly transferEvidence?: DealEvidence;
  readonly payout?: DealPayout;
  readonly dispute?: DealDispute;
  /** When both parties had approved the current terms. */
  readonly approvedAt?: Date;
  readonly fundedAt?: Date;
  readonly transferredAt?: Date;
  /** When the deal reached a final status. */
  readonly closedAt?: Date;
}

export interface UnopenedDeal {
  readonly status: 'none';
}

export interface AwaitingApprovalsDeal extends DealRecord {
  readonly status: 'awaiting_approvals';
}

export interface ApprovedDeal extends DealRecord {
  readonly status: 'approved';
  readonly approvedAt: Date;
}

export interface FundedDeal extends DealRecord {
  readonly status: 'funded';
  readonly approvedAt: Date;
  readonly fundedAt: Date;
}

export interface TransferringDeal extends DealRecord {
  readonly status: 'transferring';
  readonly approvedAt: Date;
  readonly fundedAt: Date;
  readonly transfer: DealTransfer;
}

export interface TransferredDeal extends DealRecord {
  readonly status: 'transferred';
  readonly approvedAt: Date;
  readonly fundedAt: Date;
  readonly transfer: DealTransfer;
  readonly confirmedFaceValueCents: Cents;
  readonly transferEvidence: DealEvidence;
  readonly transferredAt: Date;
}

export interface SettledDeal extends DealRecord {
  readonly status: 'settled';
  readonly approvedAt: Date;
  readonly fundedAt: Date;
  readonly transfer: DealTransfer;
  readonly confirmedFaceValueCents: Cents;
  readonly transferredAt: Date;
  readonly payout: DealPayout;
  readonly closedAt: Date;
}

export interface RejectedDeal extends DealRecord {
  readonly status: 'rejected';
  readonly rejection: { readonly party: DealParty; readonly reason: string; readonly rejectedBy: string };
  readonly closedAt: Date;
}

export interface CancelledDeal extends DealRecord {
  readonly status: 'cancelled';
  /** The broker's reason; absent when a dispute resolution (refund_buyer) cancelled the deal, see `dispute`. */
  readonly cancellationReason?: string;
  readonly closedAt: Date;
}

export interface ExpiredDeal extends DealRecord {
  readonly status: 'expired';
  readonly expiredDeadline: DealDeadline;
  readonly closedAt: Date;
}

export interface DisputedDeal extends DealRecord {
  readonly status: 'disputed';
  readonly approvedAt: Date;
  readonly dispute: DealDispute;
}

export type DealState =
  | UnopenedDeal
  | AwaitingApprovalsDeal
  | ApprovedDeal
  | FundedDeal
  | TransferringDeal
  | TransferredDeal
  | SettledDeal
  | RejectedDeal
  | CancelledDeal
  | ExpiredDeal
  | DisputedDeal;

export type ExistingDeal = Exclude<DealState, UnopenedDeal>;

export type DealStatus = DealState['status'];

export const DEAL_STATUSES = [
  'none',
  'awaiting_approvals',
  'approved',
  'funded',
  'transferring',
  'transferred',
  'settled',
  'rejected',
  'cancelled',
  'expired',
  'disputed',
] as const satisfies readonly DealStatus[];

/** Final statuses: no command changes them. */
export const CLOSED_DEAL_STATUSES = ['settled', 'rejected', 'cancelled', 'expired'] as const satisfies readonly DealStatus[];

export type ClosedDeal = Extract<DealState, { status: (typeof CLOSED_DEAL_STATUSES)[number] }>;

export function isClosedDeal(state: DealState): state is ClosedDeal {
  return (CLOSED_DEAL_STATUSES as readonly string[]).includes(state.status);
}

/** Whether both parties approved the deal's current terms version: the condition for any money to move. */
export function hasCurrentApprovals(state: DealState): boolean {
  if (state.status === 'none') return false;
  return state.approvals.seller?.termsVersion === state.termsVersion && state.approvals.buyer?.termsVersion === state.termsVersion;
}

/** What the buyer has paid and not been refunded. */
export function refundableCents(state: ExistingDeal): Cents {
  return state.paidCents - state.refundedCents;
}

export const initialDealState: DealState = Object.freeze({ status: 'none' });
