/**
 * The deal decider: one small pure function per command. It reads no clock
 * (`now` is an argument) and makes up no ids; it returns the new facts or
 * throws a DomainError with a stable code.
 *
 * Deadlines are checked against `now` here, so a command that arrives after
 * a deadline is refused even when the deadline worker has not recorded the
 * expiry yet (shared/DOMAIN.md, "Expiry enforcement").
 */
import {
  requireChoice,
  requireCommissionBps,
  requireCurrency,
  requireId,
  requireOptionalText,
  requirePositiveCents,
  requireText,
  requireTime,
} from '../command-fields.js';
import { DomainError } from '../domain-error.js';
import { assertNever, invariant } from '../invariant.js';
import { MAX_PAYMENTS_PER_DEAL, MAX_TERMS_VERSION, MAX_TRANSFER_ATTEMPTS } from '../limits.js';
import { type Cents, commissionCents, payoutCents } from '../money.js';
import {
  type AmendDealTerms,
  type ApproveDeal,
  type CancelDeal,
  type ConfirmCreditTransfer,
  DEAL_PARTIES,
  type DealEvidence,
  DISPUTE_OUTCOMES,
  type DealCommand,
  type DisputeDeal,
  type ExpireDeal,
  type FailCreditTransfer,
  type IssueSellerPayout,
  type OpenDeal,
  type ReassignDealBroker,
  type ReceiveBuyerPayment,
  type RejectDeal,
  type ResolveDispute,
  type StartCreditTransfer,
  TRANSFER_MECHANISMS,
} from './deal.commands.js';
import type { DealDeadline, DealEvent, DealTerms, RefundCause } from './deal.events.js';
import { DEFAULT_DEAL_POLICY, type DealPolicy, assertDealPolicy } from './deal.policy.js';
import { type ClosedDeal, type DealState, type DisputedDeal, type ExistingDeal, hasCurrentApprovals, isClosedDeal, refundableCents } from './deal.state.js';

type ActiveDeal = Exclude<ExistingDeal, ClosedDeal>;
type UndisputedDeal = Exclude<ActiveDeal, DisputedDeal>;

export function decideDeal(state: DealState, command: DealCommand, now: Date, policy: DealPolicy = DEFAULT_DEAL_POLICY): DealEvent[] {
  invariant(now instanceof Date && !Number.isNaN(now.getTime()), 'now must be a valid Date');
  assertDealPolicy(policy);
  switch (command.type) {
    case 'OpenDeal':
      return openDeal(state, command, now, policy);
    case 'AmendDealTerms':
      return amendDealTerms(state, command, now);
    case 'ApproveDeal':
      return approveDeal(state, command, now);
    case 'RejectDeal':
      return rejectDeal(state, command, now);
    case 'ReceiveBuyerPayment':
      return receiveBuyerPayment(state, command, now);
    case 'StartCreditTransfer':
      return startCreditTransfer(state, command, now);
    case 'ConfirmCreditTransfer':
      return confirmCreditTransfer(state, command, now);
    case 'FailCreditTransfer':
      return failCreditTransfer(state, command, now);
    case 'IssueSellerPayout':
      return issueSellerPayout(state, command, now);
    case 'CancelDeal':
      return cancelDeal(state, command, now);
    case 'ExpireDeal':
      return expireDeal(state, command, now);
    case 'DisputeDeal':
      return disputeDeal(state, command, now);
    case 'ResolveDispute':
      return resolveDispute(state, command, now);
    case 'ReassignDealBroker':
      return reassignDealBroker(state, command, now);
    default:
      return assertNever(command);
  }
}

/** The money terms of a price, face value and rate: commission rounded down, payout the rest. */
export function dealTerms(faceValueCents: Cents, priceCents: Cents, commissionBps: number): DealTerms {
  return {
    faceValueCents,
    priceCents,
    commissionBps,
    commissionCents: commissionCents(priceCents, commissionBps),
    payoutCents: payoutCents(priceCents, commissionBps),
  };
}

function openDeal(state: DealState, command: OpenDeal, now: Date, policy: DealPolicy): DealEvent[] {
  requireId(command.dealId, 'dealId');
  requireId(command.listingId, 'listingId');
  requireId(command.sellerId, 'sellerId');
  requireId(command.buyerId, 'buyerId');
  requireId(command.brokerId, 'brokerId');
  if (command.buyRequestId !== undefined) requireId(command.buyRequestId, 'buyRequestId');
  requireCurrency(command.currency);
  requirePositiveCents(command.faceValueCents, 'faceValueCents');
  requirePositiveCents(command.priceCents, 'priceCents');
  requireCommissionBps(command.commissionBps);
  requireTime(command.creditExpiresAt, 'creditExpiresAt');
  if (state.status !== 'none') throw new DomainError('DEAL_ALREADY_EXISTS', `deal ${command.dealId} already exists`, { dealId: command.dealId });
  if (now >= command.creditExpiresAt) throw creditsExpired(command.dealId, command.creditExpiresAt);
  return [
    {
      type: 'DealOpened',
      data: {
        dealId: command.dealId,
        listingId: command.listingId,
        sellerId: command.sellerId,
        buyerId: command.buyerId,
        brokerId: command.brokerId,
        currency: command.currency,
        ...dealTerms(command.faceValueCents, command.priceCents, command.commissionBps),
        termsVersion: 1,
        approvalDeadline: new Date(now.getTime() + policy.approvalWindowMs),
        creditExpiresAt: command.creditExpiresAt,
        openedAt: now,
        ...(command.buyRequestId === undefined ? {} : { buyRequestId: command.buyRequestId }),
      },
    },
  ];
}

/**
 * Terms change only while nothing is paid and the approval deadline has not
 * passed (new terms need new approvals, which the deadline would refuse).
 */
function amendDealTerms(state: DealState, command: AmendDealTerms, now: Date): DealEvent[] {
  if (command.priceCents !== undefined) requirePositiveCents(command.priceCents, 'priceCents');
  if (command.faceValueCents !== undefined) requirePositiveCents(command.faceValueCents, 'faceValueCents');
  if (command.commissionBps !== undefined) requireCommissionBps(command.commissionBps);
  // Read from the listing stream by the handler, not sent by a client: 0 once the reservation was released or
  // sold (the deal has ended, refused below as DEAL_CLOSED), never negative.
  invariant(command.reservedFaceValueCents >= 0n, `deal ${command.dealId} amended with a negative reservation`);
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.paidCents > 0n || (deal.status !== 'awaiting_approvals' && deal.status !== 'approved')) {
    throw new DomainError('DEAL_TERMS_LOCKED', 'the terms are locked once the buyer has paid', { dealId: deal.dealId, status: deal.status });
  }
  refuseAfterApprovalDeadline(deal, now);
  const terms = dealTerms(command.faceValueCents ?? deal.faceValueCents, command.priceCents ?? deal.priceCents, command.commissionBps ?? deal.commissionBps);
  // The deal's own reservation bounds it, and so does what the listing holds for it now (the smaller).
  const reservedFaceValueCents = command.reservedFaceValueCents < deal.reservedFaceValueCents ? command.reservedFaceValueCents : deal.reservedFaceValueCents;
  if (terms.faceValueCents > reservedFaceValueCents) {
    throw new DomainError('DEAL_FACE_VALUE_EXCEEDS_RESERVATION', 'the face value must stay within the reservation on the listing', {
      dealId: deal.dealId,
      reservedFaceValueCents: reservedFaceValueCents.toString(),
    });
  }
  if (terms.faceValueCents === deal.faceValueCents && terms.priceCents === deal.priceCents && terms.commissionBps === deal.commissionBps) {
    throw new DomainError('DEAL_TERMS_UNCHANGED', 'the amendment changes nothing', { dealId: deal.dealId });
  }
  if (deal.termsVersion >= MAX_TERMS_VERSION) {
    throw new DomainError('DEAL_AMENDMENT_LIMIT_REACHED', `a deal has at most ${MAX_TERMS_VERSION} terms versions`, { dealId: deal.dealId });
  }
  return [{ type: 'DealTermsAmended', data: { dealId: deal.dealId, termsVersion: deal.termsVersion + 1, ...terms, amendedAt: now } }];
}

function approveDeal(state: DealState, command: ApproveDeal, now: Date): DealEvent[] {
  requireChoice(command.party, DEAL_PARTIES, 'party');
  requireId(command.approvedBy, 'approvedBy');
  if (command.evidence !== undefined) requireEvidence(command.evidence);
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.status !== 'awaiting_approvals' && deal.status !== 'approved') throw notAwaitingApprovals(deal);
  refuseAfterApprovalDeadline(deal, now);
  if (command.termsVersion !== deal.termsVersion) {
    throw new DomainError('DEAL_TERMS_VERSION_STALE', `the current terms are version ${deal.termsVersion}`, {
      dealId: deal.dealId,
      termsVersion: String(deal.termsVersion),
    });
  }
  if (deal.approvals[command.party] !== undefined) {
    throw new DomainError('DEAL_ALREADY_APPROVED_BY_PARTY', `the ${command.party} already approved terms version ${deal.termsVersion}`, {
      dealId: deal.dealId,
      party: command.party,
    });
  }
  return [
    {
      type: 'DealApproved',
      data: {
        dealId: deal.dealId,
        party: command.party,
        termsVersion: deal.termsVersion,
        approvedBy: command.approvedBy,
        ...(command.evidence === undefined ? {} : { evidence: { method: command.evidence.method, reference: command.evidence.reference } }),
        approvedAt: now,
      },
    },
  ];
}

/** A party may reject while approvals are open; after both approved, the way out is a cancellation. */
function rejectDeal(state: DealState, command: RejectDeal, now: Date): DealEvent[] {
  requireChoice(command.party, DEAL_PARTIES, 'party');
  requireText(command.reason, 'reason');
  requireId(command.rejectedBy, 'rejectedBy');
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.status !== 'awaiting_approvals') throw notAwaitingApprovals(deal);
  refuseAfterApprovalDeadline(deal, now);
  return [{ type: 'DealRejected', data: { dealId: deal.dealId, party: command.party, reason: command.reason, rejectedBy: command.rejectedBy, rejectedAt: now } }];
}

/**
 * Payments add up to exactly the price. A payment whose reference was
 * already recorded with the same amount records nothing (a retry); with
 * another amount it is refused.
 */
function receiveBuyerPayment(state: DealState, command: ReceiveBuyerPayment, now: Date): DealEvent[] {
  requirePositiveCents(command.amountCents, 'amountCents');
  requireText(command.paymentRef, 'paymentRef');
  const existing = requireDeal(state, command.dealId);
  const earlier = existing.payments.find((payment) => payment.paymentRef === command.paymentRef);
  if (earlier !== undefined) {
    if (earlier.amountCents === command.amountCents) return [];
    throw new DomainError('PAYMENT_REF_REUSED', `payment ${command.paymentRef} was recorded with another amount`, {
      dealId: existing.dealId,
      paymentRef: command.paymentRef,
      amountCents: earlier.amountCents.toString(),
    });
  }
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.status === 'awaiting_approvals') throw notApproved(deal);
  if (deal.status !== 'approved') throw paymentExceedsPrice(deal);
  invariant(hasCurrentApprovals(deal), `deal ${deal.dealId} is approved without both approvals of its current terms`);
  if (now >= deal.creditExpiresAt) throw creditsExpired(deal.dealId, deal.creditExpiresAt);
  if (deal.payments.length >= MAX_PAYMENTS_PER_DEAL) {
    throw new DomainError('DEAL_PAYMENT_LIMIT_REACHED', `a deal takes at most ${MAX_PAYMENTS_PER_DEAL} payments`, { dealId: deal.dealId });
  }
  if (command.amountCents > deal.priceCents - deal.paidCents) throw paymentExceedsPrice(deal);
  return [{ type: 'BuyerPaymentReceived', data: { dealId: deal.dealId, amountCents: command.amountCents, paymentRef: command.paymentRef, receivedAt: now } }];
}

function startCreditTransfer(state: DealState, command: StartCreditTransfer, now: Date): DealEvent[] {
  requireChoice(command.mechanism, TRANSFER_MECHANISMS, 'mechanism');
  requireText(command.reference, 'reference');
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.status === 'awaiting_approvals' || deal.status === 'approved') {
    throw new DomainError('DEAL_NOT_FUNDED', 'credits move only once the buyer has paid the whole price', {
      dealId: deal.dealId,
      paidCents: deal.paidCents.toString(),
      priceCents: deal.priceCents.toString(),
    });
  }
  if (deal.status !== 'funded') {
    throw new DomainError('TRANSFER_ALREADY_STARTED', `the transfer is already ${deal.status}`, { dealId: deal.dealId, status: deal.status });
  }
  if (now >= deal.creditExpiresAt) throw creditsExpired(deal.dealId, deal.creditExpiresAt);
  if (deal.transferAttempts >= MAX_TRANSFER_ATTEMPTS) {
    throw new DomainError('DEAL_TRANSFER_ATTEMPT_LIMIT_REACHED', `a deal takes at most ${MAX_TRANSFER_ATTEMPTS} transfer attempts`, { dealId: deal.dealId });
  }
  return [
    {
      type: 'CreditTransferStarted',
      data: { dealId: deal.dealId, mechanism: command.mechanism, reference: command.reference, attempt: deal.transferAttempts + 1, startedAt: now },
    },
  ];
}

/**
 * A confirmation at or after the credit expiry is refused: credits that
 * expired on the way were not delivered. The confirmed face value may fall
 * short of the deal's (the shortfall returns to the listing), never exceed it.
 */
function confirmCreditTransfer(state: DealState, command: ConfirmCreditTransfer, now: Date): DealEvent[] {
  requirePositiveCents(command.confirmedFaceValueCents, 'confirmedFaceValueCents');
  requireEvidence(command.evidence);
  const deal = requireTransferring(state, command.dealId);
  if (now >= deal.creditExpiresAt) throw creditsExpired(deal.dealId, deal.creditExpiresAt);
  if (command.confirmedFaceValueCents > deal.faceValueCents) {
    throw new DomainError('TRANSFER_EXCEEDS_FACE_VALUE', 'the confirmed face value exceeds the deal', {
      dealId: deal.dealId,
      faceValueCents: deal.faceValueCents.toString(),
    });
  }
  return [
    {
      type: 'CreditTransferConfirmed',
      data: {
        dealId: deal.dealId,
        confirmedFaceValueCents: command.confirmedFaceValueCents,
        evidence: { method: command.evidence.method, reference: command.evidence.reference },
        confirmedAt: now,
      },
    },
  ];
}

/** A failed transfer returns the deal to funded: it may start again. */
function failCreditTransfer(state: DealState, command: FailCreditTransfer, now: Date): DealEvent[] {
  requireText(command.reason, 'reason');
  const deal = requireTransferring(state, command.dealId);
  return [{ type: 'CreditTransferFailed', data: { dealId: deal.dealId, reason: command.reason, failedAt: now } }];
}

function issueSellerPayout(state: DealState, command: IssueSellerPayout, now: Date): DealEvent[] {
  requireText(command.payoutRef, 'payoutRef');
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.status !== 'transferred') throw transferNotConfirmed(deal);
  return payOutAndSettle(deal, command.payoutRef, now);
}

/** Cancels before credits move: refused while a transfer runs (fail it first) and after one was confirmed (dispute instead). */
function cancelDeal(state: DealState, command: CancelDeal, now: Date): DealEvent[] {
  requireText(command.reason, 'reason');
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.status === 'transferring') {
    throw new DomainError('TRANSFER_IN_PROGRESS', 'a transfer is under way: record its failure before cancelling', { dealId: deal.dealId });
  }
  if (deal.status === 'transferred') throw transferAlreadyConfirmed(deal);
  return [{ type: 'DealCancelled', data: { dealId: deal.dealId, reason: command.reason, cancelledAt: now } }, ...refundBuyer(deal, 'deal_cancelled', now)];
}

/**
 * Records that a deadline passed: the approval deadline of a deal still
 * awaiting approvals, or the credit expiry of a deal whose transfer is not
 * confirmed. Refused before; an expired deal records nothing, so the
 * deadline worker may run it again after a restart or on several instances.
 */
function expireDeal(state: DealState, command: ExpireDeal, now: Date): DealEvent[] {
  const existing = requireDeal(state, command.dealId);
  if (existing.status === 'expired') return [];
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.status === 'transferred') throw transferAlreadyConfirmed(deal);
  const deadline = passedDeadline(deal, now);
  if (deadline === undefined) {
    throw new DomainError('DEAL_DEADLINE_NOT_REACHED', `deal ${deal.dealId} has no deadline behind it`, {
      dealId: deal.dealId,
      status: deal.status,
      approvalDeadline: deal.approvalDeadline.toISOString(),
      creditExpiresAt: deal.creditExpiresAt.toISOString(),
    });
  }
  return [{ type: 'DealExpired', data: { dealId: deal.dealId, deadline, expiredAt: now } }, ...refundBuyer(deal, 'deal_expired', now)];
}

/** The deadline that passed first, if any passed. Only a deal awaiting approvals has an approval deadline to miss. */
function passedDeadline(deal: Exclude<UndisputedDeal, { status: 'transferred' }>, now: Date): DealDeadline | undefined {
  const approvalPassed = deal.status === 'awaiting_approvals' && now >= deal.approvalDeadline;
  const creditExpiryPassed = now >= deal.creditExpiresAt;
  if (approvalPassed && creditExpiryPassed) return deal.approvalDeadline <= deal.creditExpiresAt ? 'approval' : 'credit_expiry';
  if (approvalPassed) return 'approval';
  if (creditExpiryPassed) return 'credit_expiry';
  return undefined;
}

/** Disputes concern what was agreed: from approval on, until the deal is settled. */
function disputeDeal(state: DealState, command: DisputeDeal, now: Date): DealEvent[] {
  requireText(command.reason, 'reason');
  const deal = requireUndisputed(requireActive(state, command.dealId));
  if (deal.status === 'awaiting_approvals') throw notApproved(deal);
  return [{ type: 'DealDisputed', data: { dealId: deal.dealId, reason: command.reason, disputedAt: now } }];
}

/**
 * `refund_buyer` cancels the deal and refunds everything paid (the credits,
 * if delivered, are the broker's matter outside the ledger). `pay_seller`
 * needs a confirmed transfer, since no payout precedes one; with a payout
 * reference it pays the seller out and settles at once, without one it puts
 * the deal back to `transferred` for IssueSellerPayout.
 */
function resolveDispute(state: DealState, command: ResolveDispute, now: Date): DealEvent[] {
  requireChoice(command.outcome, DISPUTE_OUTCOMES, 'outcome');
  requireOptionalText(command.payoutRef, 'payoutRef');
  const deal = requireActive(state, command.dealId);
  if (deal.status !== 'disputed') {
    throw new DomainError('DEAL_NOT_DISPUTED', `deal ${deal.dealId} is ${deal.status}, not disputed`, { dealId: deal.dealId, status: deal.status });
  }
  const resolved: DealEvent = { type: 'DisputeResolved', data: { dealId: deal.dealId, outcome: command.outcome, resolvedAt: now } };
  switch (command.outcome) {
    case 'refund_buyer':
      return [resolved, ...refundBuyer(deal, 'dispute_resolved', now)];
    case 'pay_seller':
      if (deal.dispute.disputedFrom !== 'transferred') throw transferNotConfirmed(deal);
      return command.payoutRef === undefined ? [resolved] : [resolved, ...payOutAndSettle(deal, command.payoutRef, now)];
    default:
      return assertNever(command.outcome);
  }
}

/**
 * Hands an active deal to another broker, disputed or not (a dispute may be
 * the reason). A closed deal keeps the broker that closed it; naming the
 * current broker is refused, as an amendment that changes nothing is.
 */
function reassignDealBroker(state: DealState, command: ReassignDealBroker, now: Date): DealEvent[] {
  requireId(command.brokerId, 'brokerId');
  const deal = requireActive(state, command.dealId);
  if (deal.brokerId === command.brokerId) {
    throw new DomainError('DEAL_BROKER_UNCHANGED', `broker ${command.brokerId} already brokers deal ${deal.dealId}`, { dealId: deal.dealId, brokerId: deal.brokerId });
  }
  return [{ type: 'DealBrokerReassigned', data: { dealId: deal.dealId, fromBrokerId: deal.brokerId, toBrokerId: command.brokerId, reassignedAt: now } }];
}

function payOutAndSettle(deal: ActiveDeal, payoutRef: string, now: Date): DealEvent[] {
  invariant(deal.paidCents === deal.priceCents && deal.refundedCents === 0n, `deal ${deal.dealId} pays out without the whole price in escrow`);
  invariant(deal.confirmedFaceValueCents !== undefined, `deal ${deal.dealId} pays out before a confirmed transfer`);
  invariant(deal.commissionCents + deal.payoutCents === deal.priceCents, `deal ${deal.dealId} commission and payout do not add up to the price`);
  return [
    { type: 'SellerPayoutIssued', data: { dealId: deal.dealId, amountCents: deal.payoutCents, commissionCents: deal.commissionCents, payoutRef, issuedAt: now } },
    { type: 'DealSettled', data: { dealId: deal.dealId, settledAt: now } },
  ];
}

/** Refunds everything paid and not yet refunded: never more than was paid, and nothing when nothing was paid. */
function refundBuyer(deal: ActiveDeal, cause: RefundCause, now: Date): DealEvent[] {
  const amountCents = refundableCents(deal);
  invariant(amountCents >= 0n && deal.refundedCents + amountCents <= deal.paidCents, `deal ${deal.dealId} would refund more than was paid`);
  if (amountCents === 0n) return [];
  return [{ type: 'BuyerRefunded', data: { dealId: deal.dealId, amountCents, cause, refundedAt: now } }];
}

function requireEvidence(evidence: DealEvidence): void {
  requireText(evidence.method, 'evidence.method');
  requireText(evidence.reference, 'evidence.reference');
}

/**
 * The one refusal of a deal that is not there. Command handlers answer a
 * deal the actor may not see with it too, so that another broker's deal
 * reads exactly like a missing one (shared/API.md, NOT_FOUND).
 */
export function dealNotFound(dealId: string): DomainError {
  return new DomainError('DEAL_NOT_FOUND', `deal ${dealId} does not exist`, { dealId });
}

function requireDeal(state: DealState, dealId: string): ExistingDeal {
  if (state.status === 'none') throw dealNotFound(dealId);
  invariant(state.dealId === dealId, `command for deal ${dealId} decided on deal ${state.dealId}`);
  return state;
}

function requireActive(state: DealState, dealId: string): ActiveDeal {
  const deal = requireDeal(state, dealId);
  if (isClosedDeal(deal)) throw new DomainError('DEAL_CLOSED', `deal ${dealId} is ${deal.status}`, { dealId, status: deal.status });
  return deal;
}

function requireUndisputed(deal: ActiveDeal): UndisputedDeal {
  if (deal.status === 'disputed') {
    throw new DomainError('DEAL_DISPUTED', `deal ${deal.dealId} is disputed: only a resolution moves it on`, { dealId: deal.dealId });
  }
  return deal;
}

function requireTransferring(state: DealState, dealId: string): Extract<DealState, { status: 'transferring' }> {
  const deal = requireUndisputed(requireActive(state, dealId));
  if (deal.status === 'transferring') return deal;
  if (deal.status === 'transferred') throw transferAlreadyConfirmed(deal);
  throw new DomainError('TRANSFER_NOT_STARTED', `deal ${dealId} has no transfer under way`, { dealId, status: deal.status });
}

function refuseAfterApprovalDeadline(deal: ExistingDeal, now: Date): void {
  if (now >= deal.approvalDeadline) {
    throw new DomainError('DEAL_APPROVAL_DEADLINE_PASSED', `the approval deadline passed at ${deal.approvalDeadline.toISOString()}`, {
      dealId: deal.dealId,
      approvalDeadline: deal.approvalDeadline.toISOString(),
    });
  }
}

function notAwaitingApprovals(deal: ExistingDeal): DomainError {
  return new DomainError('DEAL_NOT_AWAITING_APPROVALS', `deal ${deal.dealId} is ${deal.status}`, { dealId: deal.dealId, status: deal.status });
}

function notApproved(deal: ExistingDeal): DomainError {
  return new DomainError('DEAL_NOT_APPROVED', 'nothing moves before both parties approve the current terms', {
    dealId: deal.dealId,
    termsVersion: String(deal.termsVersion),
  });
}

function paymentExceedsPrice(deal: ExistingDeal): DomainError {
  return new DomainError('PAYMENT_EXCEEDS_PRICE', 'payments add up to exactly the price', {
    dealId: deal.dealId,
    priceCents: deal.priceCents.toString(),
    paidCents: deal.paidCents.toString(),
  });
}

function transferNotConfirmed(deal: ExistingDeal): DomainError {
  return new DomainError('TRANSFER_NOT_CONFIRMED', 'no payout before a confirmed transfer', { dealId: deal.dealId, status: deal.status });
}

function transferAlreadyConfirmed(deal: ExistingDeal): DomainError {
  return new DomainError('TRANSFER_ALREADY_CONFIRMED', `the credits of deal ${deal.dealId} were already delivered`, { dealId: deal.dealId });
}

function creditsExpired(dealId: string, creditExpiresAt: Date): DomainError {
  return new DomainError('CREDITS_EXPIRED', `the credits expired at ${creditExpiresAt.toISOString()}`, { dealId, creditExpiresAt: creditExpiresAt.toISOString() });
}
