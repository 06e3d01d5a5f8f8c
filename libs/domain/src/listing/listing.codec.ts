/**
 * Listing events to and from their stored JSON form: money as decimal
 * strings of cents, times as ISO 8601 UTC strings. Pure; decode(encode(e))
 * equals e for every event the decider can produce.
 */
import { CREDIT_TYPES } from '../command-fields.js';
import { type EncodedEvent, EventDataReader, type StoredEventInput, UndecodableEventError, centsData, timeData } from '../event-data.js';
import { assertNever } from '../invariant.js';
import type { ReservationMatch, VerificationEvidence } from './listing.commands.js';
import { type ListingEvent, isListingEventType } from './listing.events.js';

export function encodeListingEvent(event: ListingEvent): EncodedEvent {
  switch (event.type) {
    case 'ListingSubmitted': {
      const data = event.data;
      return {
        type: event.type,
        data: {
          listingId: data.listingId,
          sellerId: data.sellerId,
          provider: data.provider,
          creditType: data.creditType,
          providerOrgRef: data.providerOrgRef,
          currency: data.currency,
          claimedFaceValueCents: centsData(data.claimedFaceValueCents),
          creditExpiresAt: timeData(data.creditExpiresAt),
          askPriceCents: centsData(data.askPriceCents),
          ...(data.submittedBy === null ? {} : { submittedBy: data.submittedBy }),
          submittedAt: timeData(data.submittedAt),
        },
      };
    }
    case 'ListingVerified': {
      const data = event.data;
      return {
        type: event.type,
        data: {
          listingId: data.listingId,
          verifiedBy: data.verifiedBy,
          verifiedFaceValueCents: centsData(data.verifiedFaceValueCents),
          verifiedExpiresAt: timeData(data.verifiedExpiresAt),
          evidence: encodeEvidence(data.evidence),
          verifiedAt: timeData(data.verifiedAt),
        },
      };
    }
    case 'ListingVerificationFailed':
      return { type: event.type, data: { listingId: event.data.listingId, reason: event.data.reason, failedAt: timeData(event.data.failedAt) } };
    case 'ListingRepriced':
      return {
        type: event.type,
        data: { listingId: event.data.listingId, askPriceCents: centsData(event.data.askPriceCents), repricedAt: timeData(event.data.repricedAt) },
      };
    case 'ListingWithdrawn':
      return {
        type: event.type,
        data: {
          listingId: event.data.listingId,
          reason: event.data.reason,
          withdrawnFaceValueCents: centsData(event.data.withdrawnFaceValueCents),
          withdrawnAt: timeData(event.data.withdrawnAt),
        },
      };
    case 'ListingReserved':
      return {
        type: event.type,
        data: {
          listingId: event.data.listingId,
          dealId: event.data.dealId,
          faceValueCents: centsData(event.data.faceValueCents),
          priceCents: centsData(event.data.priceCents),
          match: {
            buyerId: event.data.match.buyerId,
            brokerId: event.data.match.brokerId,
            commissionBps: event.data.match.commissionBps,
            // Absent rather than null, as encoders leave out what is not there.
            ...(event.data.match.buyRequestId === null ? {} : { buyRequestId: event.data.match.buyRequestId }),
          },
          reservedAt: timeData(event.data.reservedAt),
        },
      };
    case 'ListingReservationReleased':
      return {
        type: event.type,
        data: {
          listingId: event.data.listingId,
          dealId: event.data.dealId,
          faceValueCents: centsData(event.data.faceValueCents),
          reason: event.data.reason,
          releasedAt: timeData(event.data.releasedAt),
        },
      };
    case 'ListingSold':
      return {
        type: event.type,
        data: {
          listingId: event.data.listingId,
          dealId: event.data.dealId,
          faceValueCents: centsData(event.data.faceValueCents),
          unsoldFaceValueCents: centsData(event.data.unsoldFaceValueCents),
          soldAt: timeData(event.data.soldAt),
        },
      };
    case 'ListingExpired':
      return {
        type: event.type,
        data: {
          listingId: event.data.listingId,
          expiredFaceValueCents: centsData(event.data.expiredFaceValueCents),
          expiredAt: timeData(event.data.expiredAt),
        },
      };
    default:
      return assertNever(event);
  }
}

/** Throws UndecodableEventError (a crash, not a business rejection) for anything encodeListingEvent would not have written. */
export function decodeListingEvent(stored: StoredEventInput): ListingEvent {
  const type = stored.type;
  if (!isListingEventType(type)) throw new UndecodableEventError(type, 'not a listing event type');
  const read = EventDataReader.of(stored);
  switch (type) {
    case 'ListingSubmitted':
      return {
        type,
        data: {
          listingId: read.text('listingId'),
          sellerId: read.text('sellerId'),
          provider: read.text('provider'),
          creditType: read.choice('creditType', CREDIT_TYPES),
          providerOrgRef: read.text('providerOrgRef'),
          currency: read.text('currency'),
          claimedFaceValueCents: read.cents('claimedFaceValueCents'),
          creditExpiresAt: read.time('creditExpiresAt'),
          askPriceCents: read.cents('askPriceCents'),
          // Listings submitted before the submitter was recorded have none: null, and then
          // only an admin may verify, reprice or withdraw them (listing.access.ts).
          submittedBy: read.optionalText('submittedBy') ?? null,
          submittedAt: read.time('submittedAt'),
        },
      };
    case 'ListingVerified':
      return {
        type,
        data: {
          listingId: read.text('listingId'),
          verifiedBy: read.text('verifiedBy'),
          verifiedFaceValueCents: read.cents('verifiedFaceValueCents'),
          verifiedExpiresAt: read.time('verifiedExpiresAt'),
          evidence: decodeEvidence(read.object('evidence')),
          verifiedAt: read.time('verifiedAt'),
        },
      };
    case 'ListingVerificationFailed':
      return { type, data: { listingId: read.text('listingId'), reason: read.text('reason'), failedAt: read.time('failedAt') } };
    case 'ListingRepriced':
      return { type, data: { listingId: read.text('listingId'), askPriceCents: read.cents('askPriceCents'), repricedAt: read.time('repricedAt') } };
    case 'ListingWithdrawn':
      return {
        type,
        data: {
          listingId: read.text('listingId'),
          reason: read.text('reason'),
          withdrawnFaceValueCents: read.cents('withdrawnFaceValueCents'),
          withdrawnAt: read.time('withdrawnAt'),
        },
      };
    case 'ListingReserved':
      return {
        type,
        data: {
          listingId: read.text('listingId'),
          dealId: read.text('dealId'),
          faceValueCents: read.cents('faceValueCents'),
          priceCents: read.cents('priceCents'),
          match: decodeMatch(read.object('match')),
          reservedAt: read.time('reservedAt'),
        },
      };
    case 'ListingReservationReleased':
      return {
        type,
        data: {
          listingId: read.text('listingId'),
          dealId: read.text('dealId'),
          faceValueCents: read.cents('faceValueCents'),
          reason: read.text('reason'),
          releasedAt: read.time('releasedAt'),
        },
      };
    case 'ListingSold':
      return {
        type,
        data: {
          listingId: read.text('listingId'),
          dealId: read.text('dealId'),
          faceValueCents: read.cents('faceValueCents'),
          unsoldFaceValueCents: read.cents('unsoldFaceValueCents'),
          soldAt: read.time('soldAt'),
        },
      };
    case 'ListingExpired':
      return {
        type,
        data: { listingId: read.text('listingId'), expiredFaceValueCents: read.cents('expiredFaceValueCents'), expiredAt: read.time('expiredAt') },
      };
    default:
      return assertNever(type);
  }
}

function encodeEvidence(evidence: VerificationEvidence): { method: string; reference: string; checkedAt: string } {
  return { method: evidence.method, reference: evidence.reference, checkedAt: timeData(evidence.checkedAt) };
}

function decodeEvidence(read: EventDataReader): VerificationEvidence {
  return { method: read.text('method'), reference: read.text('reference'), checkedAt: read.time('checkedAt') };
}

function decodeMatch(read: EventDataReader): ReservationMatch {
  return {
    buyerId: read.text('buyerId'),
    brokerId: read.text('brokerId'),
    commissionBps: read.integer('commissionBps'),
    buyRequestId: read.optionalText('buyRequestId') ?? null,
  };
}
