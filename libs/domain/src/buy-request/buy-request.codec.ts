/**
 * Buy-request events to and from their stored JSON form: money as decimal
 * strings of cents, times as ISO 8601 UTC strings, credit types as a list of
 * their names. Pure; decode(encode(e)) equals e for every event the decider
 * can produce.
 */
import { CREDIT_TYPES, type CreditType } from '../command-fields.js';
import { type EncodedEvent, EventDataReader, type StoredEventInput, UndecodableEventError, centsData, timeData } from '../event-data.js';
import { assertNever } from '../invariant.js';
import { BUY_REQUEST_AMENDABLE_FIELDS } from './buy-request.commands.js';
import { type BuyRequestEvent, isBuyRequestEventType } from './buy-request.events.js';

export function encodeBuyRequestEvent(event: BuyRequestEvent): EncodedEvent {
  switch (event.type) {
    case 'BuyRequestPlaced': {
      const data = event.data;
      return {
        type: event.type,
        data: {
          buyRequestId: data.buyRequestId,
          buyerId: data.buyerId,
          provider: data.provider,
          creditTypes: [...data.creditTypes],
          faceValueCents: centsData(data.faceValueCents),
          maxPriceBps: data.maxPriceBps,
          minValidityDays: data.minValidityDays,
          deadline: timeData(data.deadline),
          ...(data.placedBy === null ? {} : { placedBy: data.placedBy }),
          placedAt: timeData(data.placedAt),
        },
      };
    }
    case 'BuyRequestAmended': {
      const data = event.data;
      // Only the terms that changed, as the decider recorded them: absent fields are left out.
      return {
        type: event.type,
        data: {
          buyRequestId: data.buyRequestId,
          ...(data.provider === undefined ? {} : { provider: data.provider }),
          ...(data.creditTypes === undefined ? {} : { creditTypes: [...data.creditTypes] }),
          ...(data.faceValueCents === undefined ? {} : { faceValueCents: centsData(data.faceValueCents) }),
          ...(data.maxPriceBps === undefined ? {} : { maxPriceBps: data.maxPriceBps }),
          ...(data.minValidityDays === undefined ? {} : { minValidityDays: data.minValidityDays }),
          ...(data.deadline === undefined ? {} : { deadline: timeData(data.deadline) }),
          amendedAt: timeData(data.amendedAt),
        },
      };
    }
    case 'BuyRequestFilled':
      return {
        type: event.type,
        data: {
          buyRequestId: event.data.buyRequestId,
          dealId: event.data.dealId,
          faceValueCents: centsData(event.data.faceValueCents),
          filledFaceValueCents: centsData(event.data.filledFaceValueCents),
          filledAt: timeData(event.data.filledAt),
        },
      };
    case 'BuyRequestFillReleased':
      return {
        type: event.type,
        data: {
          buyRequestId: event.data.buyRequestId,
          dealId: event.data.dealId,
          faceValueCents: centsData(event.data.faceValueCents),
          filledFaceValueCents: centsData(event.data.filledFaceValueCents),
          releasedAt: timeData(event.data.releasedAt),
        },
      };
    case 'BuyRequestFillReduced':
      return {
        type: event.type,
        data: {
          buyRequestId: event.data.buyRequestId,
          dealId: event.data.dealId,
          faceValueCents: centsData(event.data.faceValueCents),
          releasedFaceValueCents: centsData(event.data.releasedFaceValueCents),
          filledFaceValueCents: centsData(event.data.filledFaceValueCents),
          reducedAt: timeData(event.data.reducedAt),
        },
      };
    case 'BuyRequestCancelled':
      return { type: event.type, data: { buyRequestId: event.data.buyRequestId, reason: event.data.reason, cancelledAt: timeData(event.data.cancelledAt) } };
    case 'BuyRequestExpired':
      return {
        type: event.type,
        data: { buyRequestId: event.data.buyRequestId, deadline: timeData(event.data.deadline), expiredAt: timeData(event.data.expiredAt) },
      };
    default:
      return assertNever(event);
  }
}

/** Throws UndecodableEventError (a crash, not a business rejection) for anything encodeBuyRequestEvent would not have written. */
export function decodeBuyRequestEvent(stored: StoredEventInput): BuyRequestEvent {
  const type = stored.type;
  if (!isBuyRequestEventType(type)) throw new UndecodableEventError(type, 'not a buy-request event type');
  const read = EventDataReader.of(stored);
  switch (type) {
    case 'BuyRequestPlaced':
      return {
        type,
        data: {
          buyRequestId: read.text('buyRequestId'),
          buyerId: read.text('buyerId'),
          provider: read.text('provider'),
          creditTypes: readCreditTypes(stored),
          faceValueCents: read.cents('faceValueCents'),
          maxPriceBps: read.integer('maxPriceBps'),
          minValidityDays: read.integer('minValidityDays'),
          deadline: read.time('deadline'),
          // Requests placed before the placer was recorded have none: null, and then only an
          // admin may amend or cancel them (buy-request.access.ts).
          placedBy: read.optionalText('placedBy') ?? null,
          placedAt: read.time('placedAt'),
        },
      };
    case 'BuyRequestAmended': {
      if (!BUY_REQUEST_AMENDABLE_FIELDS.some((field) => read.has(field))) throw new UndecodableEventError(type, 'no amended field');
      return {
        type,
        data: {
          buyRequestId: read.text('buyRequestId'),
          ...(read.has('provider') ? { provider: read.text('provider') } : {}),
          ...(read.has('creditTypes') ? { creditTypes: readCreditTypes(stored) } : {}),
          ...(read.has('faceValueCents') ? { faceValueCents: read.cents('faceValueCents') } : {}),
          ...(read.has('maxPriceBps') ? { maxPriceBps: read.integer('maxPriceBps') } : {}),
          ...(read.has('minValidityDays') ? { minValidityDays: read.integer('minValidityDays') } : {}),
          ...(read.has('deadline') ? { deadline: read.time('deadline') } : {}),
          amendedAt: read.time('amendedAt'),
        },
      };
    }
    case 'BuyRequestFilled':
      return {
        type,
        data: {
          buyRequestId: read.text('buyRequestId'),
          dealId: read.text('dealId'),
          faceValueCents: read.cents('faceValueCents'),
          filledFaceValueCents: read.cents('filledFaceValueCents'),
          filledAt: read.time('filledAt'),
        },
      };
    case 'BuyRequestFillReleased':
      return {
        type,
        data: {
          buyRequestId: read.text('buyRequestId'),
          dealId: read.text('dealId'),
          faceValueCents: read.cents('faceValueCents'),
          filledFaceValueCents: read.cents('filledFaceValueCents'),
          releasedAt: read.time('releasedAt'),
        },
      };
    case 'BuyRequestFillReduced':
      return {
        type,
        data: {
          buyRequestId: read.text('buyRequestId'),
          dealId: read.text('dealId'),
          faceValueCents: read.cents('faceValueCents'),
          releasedFaceValueCents: read.cents('releasedFaceValueCents'),
          filledFaceValueCents: read.cents('filledFaceValueCents'),
          reducedAt: read.time('reducedAt'),
        },
      };
    case 'BuyRequestCancelled':
      return { type, data: { buyRequestId: read.text('buyRequestId'), reason: read.text('reason'), cancelledAt: read.time('cancelledAt') } };
    case 'BuyRequestExpired':
      return { type, data: { buyRequestId: read.text('buyRequestId'), deadline: read.time('deadline'), expiredAt: read.time('expiredAt') } };
    default:
      return assertNever(type);
  }
}

/** A non-empty list of known credit types, each once: what the decider records, nothing else. */
function readCreditTypes(stored: StoredEventInput): CreditType[] {
  if (!Object.hasOwn(stored.data, 'creditTypes')) throw new UndecodableEventError(stored.type, 'missing field creditTypes');
  const value: unknown = stored.data.creditTypes;
  const refuse = () => new UndecodableEventError(stored.type, `field creditTypes is not a non-empty list of distinct credit types (${CREDIT_TYPES.join(', ')})`);
  if (!Array.isArray(value) || value.length === 0) throw refuse();
  const creditTypes: CreditType[] = [];
  for (const item of value as unknown[]) {
    const found = CREDIT_TYPES.find((creditType) => creditType === item);
    if (found === undefined || creditTypes.includes(found)) throw refuse();
    creditTypes.push(found);
  }
  return creditTypes;
}
