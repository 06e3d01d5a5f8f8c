/**
 * The facts of a buy-request stream, in the past tense (shared/DOMAIN.md,
 * "Streams": one buyer's standing demand, filled by one or more deals).
 * Money is bigint cents and times are Dates here; the codec
 * (buy-request.codec.ts) turns them into decimal and ISO strings for the store.
 *
 * No separate fact says a request is filled: the fill that brings the filled
 * total to the face value wanted makes it so, as the listing's last sale
 * makes it sold out; the release or reduction of a fill makes a filled
 * request open again.
 */
import type { CreditType } from '../command-fields.js';
import type { Cents } from '../money.js';

export interface BuyRequestPlaced {
  readonly type: 'BuyRequestPlaced';
  readonly data: {
    readonly buyRequestId: string;
    readonly buyerId: string;
    readonly provider: string;
    readonly creditTypes: readonly CreditType[];
    readonly faceValueCents: Cents;
    readonly maxPriceBps: number;
    readonly minValidityDays: number;
    readonly deadline: Date;
    /**
     * The principal that placed the request: it (or an admin) may amend or
     * cancel it. Null for a request recorded before placers were: only an
     * admin manages such a request.
     */
    readonly placedBy: string | null;
    readonly placedAt: Date;
  };
}

export interface BuyRequestAmended {
  readonly type: 'BuyRequestAmended';
  /** Only the terms that changed (at least one); the others are left out. */
  readonly data: {
    readonly buyRequestId: string;
    readonly provider?: string;
    readonly creditTypes?: readonly CreditType[];
    readonly faceValueCents?: Cents;
    readonly maxPriceBps?: number;
    readonly minValidityDays?: number;
    readonly deadline?: Date;
    readonly amendedAt: Date;
  };
}

export interface BuyRequestFilled {
  readonly type: 'BuyRequestFilled';
  readonly data: {
    readonly buyRequestId: string;
    readonly dealId: string;
    /** The face value this deal takes. */
    readonly faceValueCents: Cents;
    /** The filled total after this fill, so a reader needs no earlier event. */
    readonly filledFaceValueCents: Cents;
    readonly filledAt: Date;
  };
}

/** A deal's fill, given back because the deal ended without selling. */
export interface BuyRequestFillReleased {
  readonly type: 'BuyRequestFillReleased';
  readonly data: {
    readonly buyRequestId: string;
    readonly dealId: string;
    /** The face value the deal had filled, wanted again. */
    readonly faceValueCents: Cents;
    /** The filled total after the release. */
    readonly filledFaceValueCents: Cents;
    readonly releasedAt: Date;
  };
}

/** A deal's fill, cut to what the deal now takes (amended terms, a partly confirmed transfer). */
export interface BuyRequestFillReduced {
  readonly type: 'BuyRequestFillReduced';
  readonly data: {
    readonly buyRequestId: string;
    readonly dealId: string;
    /** The deal's new fill: positive, and below what it filled before. */
    readonly faceValueCents: Cents;
    /** The face value the reduction gives back, wanted again. */
    readonly releasedFaceValueCents: Cents;
    /** The filled total after the reduction. */
    readonly filledFaceValueCents: Cents;
    readonly reducedAt: Date;
  };
}

export interface BuyRequestCancelled {
  readonly type: 'BuyRequestCancelled';
  readonly data: {
    readonly buyRequestId: string;
    readonly reason: string;
    readonly cancelledAt: Date;
  };
}

export interface BuyRequestExpired {
  readonly type: 'BuyRequestExpired';
  readonly data: {
    readonly buyRequestId: string;
    /** The deadline that passed. */
    readonly deadline: Date;
    readonly expiredAt: Date;
  };
}

export type BuyRequestEvent = BuyRequestPlaced | BuyRequestAmended | BuyRequestFilled | BuyRequestFillReleased | BuyRequestFillReduced | BuyRequestCancelled | BuyRequestExpired;

export type BuyRequestEventType = BuyRequestEvent['type'];

export const BUY_REQUEST_EVENT_TYPES = [
  'BuyRequestPlaced',
  'BuyRequestAmended',
  'BuyRequestFilled',
  'BuyRequestFillReleased',
  'BuyRequestFillReduced',
  'BuyRequestCancelled',
  'BuyRequestExpired',
] as const satisfies readonly BuyRequestEventType[];

export function isBuyRequestEventType(type: string): type is BuyRequestEventType {
  return (BUY_REQUEST_EVENT_TYPES as readonly string[]).includes(type);
}

/** Compile-time check that BUY_REQUEST_EVENT_TYPES names every event type. */
const _everyBuyRequestEventTypeListed: [Exclude<BuyRequestEventType, (typeof BUY_REQUEST_EVENT_TYPES)[number]>] extends [never] ? true : never = true;
