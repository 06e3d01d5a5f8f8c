/**
 * Folds deal facts into state. Pure, reads no clock, and never throws on a
 * history the decider produced; a history it could not have produced (a
 * payment before approval, a payout of unpaid money) is a broken invariant
 * and crashes.
 */
import { assertNever, invariant } from '../invariant.js';
import type {
  BuyerPaymentReceived,
  BuyerRefunded,
  CreditTransferConfirmed,
  CreditTransferFailed,
  CreditTransferStarted,
  DealApproved,
  DealBrokerReassigned,
  DealCancelled,
  DealDisputed,
  DealEvent,
  DealExpired,
  DealOpened,
  DealRejected,
  DealSettled,
  DealTermsAmended,
  DisputeResolved,
  SellerPayoutIssued,
} from './deal.events.js';
import { type DealState, type DisputableDealStatus, hasCurrentApprovals, initialDealState, isClosedDeal } from './deal.state.js';

export function evolveDeal(state: DealState, event: DealEvent): DealState {
  const next = applyEvent(state, event);
  assertMoneyInvariants(next);
  return next;
}

/** Folds a whole stream from the start. */
export function foldDealEvents(events: readonly DealEvent[]): DealState {
  return events.reduce(evolveDeal, initialDealState);
}

function applyEvent(state: DealState, event: DealEvent): DealState {
  switch (event.type) {
    case 'DealOpened':
      return onOpened(state, event);
    case 'DealTermsAmended':
      return onTermsAmended(state, event);
    case 'DealApproved':
      return onApproved(state, event);
    case 'DealRejected':
      return onRejected(state, event);
    case 'BuyerPaymentReceived':
      return onPaymentReceived(state, event);
    case 'CreditTransferStarted':
      return onTransferStarted(state, event);
    case 'CreditTransferConfirmed':
      return onTransferConfirmed(state, event);
    case 'CreditTransferFailed':
      return onTransferFailed(state, event);
    case 'SellerPayoutIssued':
      return onPayoutIssued(state, event);
    case 'DealSettled':
      return onSettled(state, event);
    case 'DealCancelled':
      return onCancelled(state, event);
    case 'BuyerRefunded':
      return onRefunded(state, event);
    case 'DealExpired':
      return onExpired(state, event);
    case 'DealDisputed':
      return onDisputed(state, event);
    case 'DisputeResolved':
      return onDisputeResolved(state, event);
    case 'DealBrokerReassigned':
      return onBrokerReassigned(state, event);
    default:
      return assertNever(event);
  }
}

function onOpened(state: DealState, event: DealOpened): DealState {
  invariant(state.status === 'none', `DealOpened on a ${state.status} deal`);
  const { openedAt, ...data } = event.data;
  return {
    status: 'awaiting_approvals',
    ...data,
    reservedFaceValueCents: data.faceValueCents,
    approvals: {},
    openedAt,
    payments: [],
    paidCents: 0n,
    refundedCents: 0n,
    paidOutCents: 0n,
    transferAttempts: 0,
  };
}

/** New terms void every approval: the deal awaits both parties again. */
function onTermsAmended(state: DealState, event: DealTermsAmended): DealState {
  const deal = expectStatus(state, event, 'awaiting_approvals', 'approved');
  invariant(deal.paidCents === 0n, `deal ${deal.dealId} amended after a payment`);
  invariant(event.data.termsVersion === deal.termsVersion + 1, `deal ${deal.dealId} terms version jumps from ${deal.termsVersion} to ${event.data.termsVersion}`);
  const { approvedAt: _voided, ...rest } = deal;
  const { amendedAt: _amendedAt, dealId: _dealId, ...terms } = event.data;
  return { ...rest, ...terms, status: 'awaiting_approvals', approvals: {} };
}

function onApproved(state: DealState, event: DealApproved): DealState {
  const deal = expectStatus(state, event, 'awaiting_approvals');
  const { party, termsVersion, approvedBy, evidence, approvedAt } = event.data;
  invariant(termsVersion === deal.termsVersion && deal.approvals[party] === undefined, `deal ${deal.dealId} approval of version ${termsVersion} out of turn`);
  const approvals = { ...deal.approvals, [party]: { termsVersion, approvedBy, approvedAt, ...(evidence === undefined ? {} : { evidence }) } };
  const approved = { ...deal, approvals };
  return hasCurrentApprovals(approved) ? { ...approved, status: 'approved', approvedAt } : approved;
}

function onRejected(state: DealState, event: DealRejected): DealState {
  const deal = expectStatus(state, event, 'awaiting_approvals');
  const { party, reason, rejectedBy, rejectedAt } = event.data;
  return { ...deal, status: 'rejected', rejection: { party, reason, rejectedBy }, closedAt: rejectedAt };
}

function onPaymentReceived(state: DealState, event: BuyerPaymentReceived): DealState {
  const deal = expectStatus(state, event, 'approved');
  const { amountCents, paymentRef, receivedAt } = event.data;
  const paidCents = deal.paidCents + amountCents;
  invariant(paidCents <= deal.priceCents, `deal ${deal.dealId} paid beyond its price`);
  const paid = { ...deal, paidCents, payments: [...deal.payments, { paymentRef, amountCents, receivedAt }] };
  return paidCents === deal.priceCents ? { ...paid, status: 'funded', fundedAt: receivedAt } : paid;
}

function onTransferStarted(state: DealState, event: CreditTransferStarted): DealState {
  const deal = expectStatus(state, event, 'funded');
  const { mechanism, reference, attempt, startedAt } = event.data;
  invariant(attempt === deal.transferAttempts + 1, `deal ${deal.dealId} transfer attempt ${attempt} out of turn`);
  return { ...deal, status: 'transferring', transferAttempts: attempt, transfer: { mechanism, reference, attempt, startedAt } };
}

function onTransferConfirmed(state: DealState, event: CreditTransferConfirmed): DealState {
  const deal = expectStatus(state, event, 'transferring');
  const { confirmedFaceValueCents, evidence, confirmedAt } = event.data;
  return { ...deal, status: 'transferred', confirmedFaceValueCents, transferEvidence: evidence, transferredAt: confirmedAt };
}

function onTransferFailed(state: DealState, event: CreditTransferFailed): DealState {
  const deal = expectStatus(state, event, 'transferring');
  return { ...deal, status: 'funded', lastTransferFailure: { reason: event.data.reason, failedAt: event.data.failedAt } };
}

function onPayoutIssued(state: DealState, event: SellerPayoutIssued): DealState {
  const deal = expectStatus(state, event, 'transferred');
  const { amountCents, commissionCents, payoutRef, issuedAt } = event.data;
  invariant(
    deal.payout === undefined && amountCents === deal.payoutCents && commissionCents === deal.commissionCents,
    `deal ${deal.dealId} payout differs from its terms`,
  );
  return { ...deal, payout: { payoutRef, amountCents, issuedAt }, paidOutCents: deal.paidOutCents + amountCents };
}

function onSettled(state: DealState, event: DealSettled): DealState {
  const deal = expectStatus(state, event, 'transferred');
  invariant(deal.payout !== undefined, `deal ${deal.dealId} settled before its payout`);
  return { ...deal, status: 'settled', payout: deal.payout, closedAt: event.data.settledAt };
}

function onCancelled(state: DealState, event: DealCancelled): DealState {
  const deal = expectStatus(state, event, 'awaiting_approvals', 'approved', 'funded');
  return { ...deal, status: 'cancelled', cancellationReason: event.data.reason, closedAt: event.data.cancelledAt };
}

/** Refunds follow the fact that made them due (cancellation, expiry, dispute resolution) in the same append. */
function onRefunded(state: DealState, event: BuyerRefunded): DealState {
  const deal = expectStatus(state, event, 'cancelled', 'expired');
  const refundedCents = deal.refundedCents + event.data.amountCents;
  invariant(refundedCents <= deal.paidCents, `deal ${deal.dealId} refunded more than was paid`);
  return { ...deal, refundedCents };
}

function onExpired(state: DealState, event: DealExpired): DealState {
  const deal = expectStatus(state, event, 'awaiting_approvals', 'approved', 'funded', 'transferring');
  return { ...deal, status: 'expired', expiredDeadline: event.data.deadline, closedAt: event.data.expiredAt };
}

function onDisputed(state: DealState, event: DealDisputed): DealState {
  const deal = expectStatus(state, event, 'approved', 'funded', 'transferring', 'transferred');
  const disputedFrom: DisputableDealStatus = deal.status;
  return { ...deal, status: 'disputed', dispute: { reason: event.data.reason, disputedAt: event.data.disputedAt, disputedFrom } };
}

/**
 * `refund_buyer` cancels the deal (the refund follows); `pay_seller` puts a
 * deal disputed after its confirmed transfer back to `transferred`, so that
 * the payout and settlement that follow fold as they always do.
 */
function onDisputeResolved(state: DealState, event: DisputeResolved): DealState {
  const deal = expectStatus(state, event, 'disputed');
  const { outcome, resolvedAt } = event.data;
  const dispute = { ...deal.dispute, resolution: { outcome, resolvedAt } };
  switch (outcome) {
    case 'refund_buyer':
      return { ...deal, status: 'cancelled', dispute, closedAt: resolvedAt };
    case 'pay_seller': {
      const { fundedAt, transfer, confirmedFaceValueCents, transferEvidence, transferredAt } = deal;
      invariant(
        deal.dispute.disputedFrom === 'transferred' &&
          fundedAt !== undefined &&
          transfer !== undefined &&
          confirmedFaceValueCents !== undefined &&
          transferEvidence !== undefined &&
          transferredAt !== undefined,
        `deal ${deal.dealId} resolved to pay the seller without a confirmed transfer`,
      );
      return { ...deal, status: 'transferred', dispute, fundedAt, transfer, confirmedFaceValueCents, transferEvidence, transferredAt };
    }
    default:
      return assertNever(outcome);
  }
}

/** Only the broker changes; the deal stays where it stood. */
function onBrokerReassigned(state: DealState, event: DealBrokerReassigned): DealState {
  invariant(state.status !== 'none' && !isClosedDeal(state), `DealBrokerReassigned on a ${state.status} deal`);
  const { fromBrokerId, toBrokerId } = event.data;
  invariant(fromBrokerId === state.brokerId && toBrokerId !== fromBrokerId, `deal ${state.dealId} reassigned from ${fromBrokerId}, but ${state.brokerId} brokers it`);
  return { ...state, brokerId: toBrokerId };
}

type DealIn<Status extends DealState['status']> = Extract<DealState, { status: Status }>;

function expectStatus<Status extends DealState['status']>(state: DealState, event: DealEvent, ...statuses: Status[]): DealIn<Status> {
  invariant((statuses as readonly string[]).includes(state.status), `${event.type} on a ${state.status} deal`);
  return state as DealIn<Status>;
}

function assertMoneyInvariants(state: DealState): void {
  if (state.status === 'none') return;
  invariant(state.commissionCents + state.payoutCents === state.priceCents, `deal ${state.dealId} commission and payout do not add up to the price`);
  invariant(state.paidCents >= 0n && state.paidCents <= state.priceCents, `deal ${state.dealId} paid outside 0..price`);
  invariant(state.refundedCents >= 0n && state.refundedCents <= state.paidCents, `deal ${state.dealId} refunded more than was paid`);
  invariant(state.paidOutCents === 0n || state.confirmedFaceValueCents !== undefined, `deal ${state.dealId} paid out before a confirmed transfer`);
}
