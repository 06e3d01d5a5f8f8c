/**
 * What a broker (or a process manager, or the deadline worker) asks of one
 * buy-request stream. Every command names its request, so a handler that
 * loaded the wrong stream is caught as a programmer error. Times and ids are
 * arguments, never made up inside the domain.
 */
import type { CreditType } from '../command-fields.js';
import type { Cents } from '../money.js';

export interface PlaceBuyRequest {
  readonly type: 'PlaceBuyRequest';
  readonly buyRequestId: string;
  readonly buyerId: string;
  readonly provider: string;
  /** The credit types the buyer accepts: at least one, each once. */
  readonly creditTypes: readonly CreditType[];
  /** The face value the buyer wants in all, over one or more deals. */
  readonly faceValueCents: Cents;
  /** The highest price the buyer pays, in basis points of the face value it buys (1 to 10,000). */
  readonly maxPriceBps: number;
  /** The least remaining validity of the credits, in whole days, that the buyer accepts. */
  readonly minValidityDays: number;
  /** After this instant the request takes no more fills and may be expired. */
  readonly deadline: Date;
  /**
   * The principal placing it (the command's actor, filled in by the command
   * handler): that broker, or an admin, may amend or cancel it (buy-request.access.ts).
   */
  readonly placedBy: string;
}

/** Changes any of the terms but the buyer; fields left out stay as they are. */
export interface AmendBuyRequest {
  readonly type: 'AmendBuyRequest';
  readonly buyRequestId: string;
  readonly provider?: string;
  readonly creditTypes?: readonly CreditType[];
  /** Never below the face value already filled. */
  readonly faceValueCents?: Cents;
  readonly maxPriceBps?: number;
  readonly minValidityDays?: number;
  readonly deadline?: Date;
}

/** A deal opened from this request takes part of it (POST /v1/deals with a buyRequestId). */
export interface RecordBuyRequestFill {
  readonly type: 'RecordBuyRequestFill';
  readonly buyRequestId: string;
  readonly dealId: string;
  /** The deal's face value. */
  readonly faceValueCents: Cents;
}

/**
 * A deal that filled part of the request ended without selling (rejected,
 * cancelled, expired, or a dispute resolved by refunding the buyer): its
 * face value is wanted again. Sent by the reservation process manager.
 */
export interface ReleaseBuyRequestFill {
  readonly type: 'ReleaseBuyRequestFill';
  readonly buyRequestId: string;
  readonly dealId: string;
}

/**
 * A deal that filled part of the request now takes less: its terms were
 * amended to a smaller face value, or its transfer confirmed less than it
 * filled. The difference is wanted again. Sent by the reservation process
 * manager; never raises a fill.
 */
export interface ReduceBuyRequestFill {
  readonly type: 'ReduceBuyRequestFill';
  readonly buyRequestId: string;
  readonly dealId: string;
  /** The deal's new, smaller fill. */
  readonly faceValueCents: Cents;
}

export interface CancelBuyRequest {
  readonly type: 'CancelBuyRequest';
  readonly buyRequestId: string;
  readonly reason: string;
}

/** Recorded by the deadline worker once the deadline has passed. */
export interface ExpireBuyRequest {
  readonly type: 'ExpireBuyRequest';
  readonly buyRequestId: string;
}

export type BuyRequestCommand = PlaceBuyRequest | AmendBuyRequest | RecordBuyRequestFill | ReleaseBuyRequestFill | ReduceBuyRequestFill | CancelBuyRequest | ExpireBuyRequest;

export type BuyRequestCommandType = BuyRequestCommand['type'];

/** The terms an amendment may change, in the order events and specs list them. */
export const BUY_REQUEST_AMENDABLE_FIELDS = ['provider', 'creditTypes', 'faceValueCents', 'maxPriceBps', 'minValidityDays', 'deadline'] as const;

export type BuyRequestAmendableField = (typeof BUY_REQUEST_AMENDABLE_FIELDS)[number];
