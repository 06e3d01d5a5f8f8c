/**
 * Deal events to and from their stored JSON form: money as decimal strings
 * of cents, times as ISO 8601 UTC strings, optional fields left out when
 * absent. Pure; decode(encode(e)) equals e for every event the decider can
 * produce.
 */
import { type EncodedEvent, type EventData, EventDataReader, type StoredEventInput, UndecodableEventError, centsData, timeData } from '../event-data.js';
import { assertNever } from '../invariant.js';
import { DEAL_PARTIES, DISPUTE_OUTCOMES, type DealEvidence, TRANSFER_MECHANISMS } from './deal.commands.js';
import { DEAL_DEADLINES, type DealEvent, type DealTerms, REFUND_CAUSES, isDealEventType } from './deal.events.js';

export function encodeDealEvent(event: DealEvent): EncodedEvent {
  return { type: event.type, data: encodeData(event) };
}

function encodeData(event: DealEvent): EventData {
  switch (event.type) {
    case 'DealOpened': {
      const data = event.data;
      return {
        dealId: data.dealId,
        listingId: data.listingId,
        sellerId: data.sellerId,
        buyerId: data.buyerId,
        brokerId: data.brokerId,
        currency: data.currency,
        ...encodeTerms(data),
        termsVersion: data.termsVersion,
        approvalDeadline: timeData(data.approvalDeadline),
        creditExpiresAt: timeData(data.creditExpiresAt),
        openedAt: timeData(data.openedAt),
        ...(data.buyRequestId === undefined ? {} : { buyRequestId: data.buyRequestId }),
      };
    }
    case 'DealTermsAmended':
      return { dealId: event.data.dealId, termsVersion: event.data.termsVersion, ...encodeTerms(event.data), amendedAt: timeData(event.data.amendedAt) };
    case 'DealApproved': {
      const data = event.data;
      return {
        dealId: data.dealId,
        party: data.party,
        termsVersion: data.termsVersion,
        approvedBy: data.approvedBy,
        ...(data.evidence === undefined ? {} : { evidence: encodeEvidence(data.evidence) }),
        approvedAt: timeData(data.approvedAt),
      };
    }
    case 'DealRejected':
      return {
        dealId: event.data.dealId,
        party: event.data.party,
        reason: event.data.reason,
        rejectedBy: event.data.rejectedBy,
        rejectedAt: timeData(event.data.rejectedAt),
      };
    case 'BuyerPaymentReceived':
      return {
        dealId: event.data.dealId,
        amountCents: centsData(event.data.amountCents),
        paymentRef: event.data.paymentRef,
        receivedAt: timeData(event.data.receivedAt),
      };
    case 'CreditTransferStarted':
      return {
        dealId: event.data.dealId,
        mechanism: event.data.mechanism,
        reference: event.data.reference,
        attempt: event.data.attempt,
        startedAt: timeData(event.data.startedAt),
      };
    case 'CreditTransferConfirmed':
      return {
        dealId: event.data.dealId,
        confirmedFaceValueCents: centsData(event.data.confirmedFaceValueCents),
        evidence: encodeEvidence(event.data.evidence),
        confirmedAt: timeData(event.data.confirmedAt),
      };
    case 'CreditTransferFailed':
      return { dealId: event.data.dealId, reason: event.data.reason, failedAt: timeData(event.data.failedAt) };
    case 'SellerPayoutIssued':
      return {
        dealId: event.data.dealId,
        amountCents: centsData(event.data.amountCents),
        commissionCents: centsData(event.data.commissionCents),
        payoutRef: event.data.payoutRef,
        issuedAt: timeData(event.data.issuedAt),
      };
    case 'DealSettled':
      return { dealId: event.data.dealId, settledAt: timeData(event.data.settledAt) };
    case 'DealCancelled':
      return { dealId: event.data.dealId, reason: event.data.reason, cancelledAt: timeData(event.data.cancelledAt) };
    case 'BuyerRefunded':
      return {
        dealId: event.data.dealId,
        amountCents: centsData(event.data.amountCents),
        cause: event.data.cause,
        refundedAt: timeData(event.data.refundedAt),
      };
    case 'DealExpired':
      return { dealId: event.data.dealId, deadline: event.data.deadline, expiredAt: timeData(event.data.expiredAt) };
    case 'DealDisputed':
      return { dealId: event.data.dealId, reason: event.data.reason, disputedAt: timeData(event.data.disputedAt) };
    case 'DisputeResolved':
      return { dealId: event.data.dealId, outcome: event.data.outcome, resolvedAt: timeData(event.data.resolvedAt) };
    case 'DealBrokerReassigned':
      return {
        dealId: event.data.dealId,
        fromBrokerId: event.data.fromBrokerId,
        toBrokerId: event.data.toBrokerId,
        reassignedAt: timeData(event.data.reassignedAt),
      };
    default:
      return assertNever(event);
  }
}

/** Throws UndecodableEventError (a crash, not a business rejection) for anything encodeDealEvent would not have written. */
export function decodeDealEvent(stored: StoredEventInput): DealEvent {
  const type = stored.type;
  if (!isDealEventType(type)) throw new UndecodableEventError(type, 'not a deal event type');
  const read = EventDataReader.of(stored);
  switch (type) {
    case 'DealOpened': {
      const buyRequestId = read.optionalText('buyRequestId');
      return {
        type,
        data: {
          dealId: read.text('dealId'),
          listingId: read.text('listingId'),
          sellerId: read.text('sellerId'),
          buyerId: read.text('buyerId'),
          brokerId: read.text('brokerId'),
          currency: read.text('currency'),
          ...decodeTerms(read),
          termsVersion: read.integer('termsVersion'),
          approvalDeadline: read.time('approvalDeadline'),
          creditExpiresAt: read.time('creditExpiresAt'),
          openedAt: read.time('openedAt'),
          ...(buyRequestId === undefined ? {} : { buyRequestId }),
        },
      };
    }
    case 'DealTermsAmended':
      return { type, data: { dealId: read.text('dealId'), termsVersion: read.integer('termsVersion'), ...decodeTerms(read), amendedAt: read.time('amendedAt') } };
    case 'DealApproved': {
      const evidence = read.has('evidence') ? decodeEvidence(read.object('evidence')) : undefined;
      return {
        type,
        data: {
          dealId: read.text('dealId'),
          party: read.choice('party', DEAL_PARTIES),
          termsVersion: read.integer('termsVersion'),
          approvedBy: read.text('approvedBy'),
          ...(evidence === undefined ? {} : { evidence }),
          approvedAt: read.time('approvedAt'),
        },
      };
    }
    case 'DealRejected':
      return {
        type,
        data: {
          dealId: read.text('dealId'),
          party: read.choice('party', DEAL_PARTIES),
          reason: read.text('reason'),
          rejectedBy: read.text('rejectedBy'),
          rejectedAt: read.time('rejectedAt'),
        },
      };
    case 'BuyerPaymentReceived':
      return {
        type,
        data: { dealId: read.text('dealId'), amountCents: read.cents('amountCents'), paymentRef: read.text('paymentRef'), receivedAt: read.time('receivedAt') },
      };
    case 'CreditTransferStarted':
      return {
        type,
        data: {
          dealId: read.text('dealId'),
          mechanism: read.choice('mechanism', TRANSFER_MECHANISMS),
          reference: read.text('reference'),
          attempt: read.integer('attempt'),
          startedAt: read.time('startedAt'),
        },
      };
    case 'CreditTransferConfirmed':
      return {
        type,
        data: {
          dealId: read.text('dealId'),
          confirmedFaceValueCents: read.cents('confirmedFaceValueCents'),
          evidence: decodeEvidence(read.object('evidence')),
          confirmedAt: read.time('confirmedAt'),
        },
      };
    case 'CreditTransferFailed':
      return { type, data: { dealId: read.text('dealId'), reason: read.text('reason'), failedAt: read.time('failedAt') } };
    case 'SellerPayoutIssued':
      return {
        type,
        data: {
          dealId: read.text('dealId'),
          amountCents: read.cents('amountCents'),
          commissionCents: read.cents('commissionCents'),
          payoutRef: read.text('payoutRef'),
          issuedAt: read.time('issuedAt'),
        },
      };
    case 'DealSettled':
      return { type, data: { dealId: read.text('dealId'), settledAt: read.time('settledAt') } };
    case 'DealCancelled':
      return { type, data: { dealId: read.text('dealId'), reason: read.text('reason'), cancelledAt: read.time('cancelledAt') } };
    case 'BuyerRefunded':
      return {
        type,
        data: {
          dealId: read.text('dealId'),
          amountCents: read.cents('amountCents'),
          cause: read.choice('cause', REFUND_CAUSES),
          refundedAt: read.time('refundedAt'),
        },
      };
    case 'DealExpired':
      return { type, data: { dealId: read.text('dealId'), deadline: read.choice('deadline', DEAL_DEADLINES), expiredAt: read.time('expiredAt') } };
    case 'DealDisputed':
      return { type, data: { dealId: read.text('dealId'), reason: read.text('reason'), disputedAt: read.time('disputedAt') } };
    case 'DisputeResolved':
      return { type, data: { dealId: read.text('dealId'), outcome: read.choice('outcome', DISPUTE_OUTCOMES), resolvedAt: read.time('resolvedAt') } };
    case 'DealBrokerReassigned':
      return {
        type,
        data: {
          dealId: read.text('dealId'),
          fromBrokerId: read.text('fromBrokerId'),
          toBrokerId: read.text('toBrokerId'),
          reassignedAt: read.time('reassignedAt'),
        },
      };
    default:
      return assertNever(type);
  }
}

function encodeEvidence(evidence: DealEvidence): EventData {
  return { method: evidence.method, reference: evidence.reference };
}

function decodeEvidence(read: EventDataReader): DealEvidence {
  return { method: read.text('method'), reference: read.text('reference') };
}

function encodeTerms(terms: DealTerms): EventData {
  return {
    faceValueCents: centsData(terms.faceValueCents),
    priceCents: centsData(terms.priceCents),
    commissionBps: terms.commissionBps,
    commissionCents: centsData(terms.commissionCents),
    payoutCents: centsData(terms.payoutCents),
  };
}

function decodeTerms(read: EventDataReader): DealTerms {
  return {
    faceValueCents: read.cents('faceValueCents'),
    priceCents: read.cents('priceCents'),
    commissionBps: read.integer('commissionBps'),
    commissionCents: read.cents('commissionCents'),
    payoutCents: read.cents('payoutCents'),
  };
}
