/**
 * A buy request as its events leave it: a union tagged by `status`.
 *
 * Statuses, precisely:
 * - `none`: no event yet.
 * - `open`: placed, something left to fill. It takes fills (and amendments)
 *   while the clock is before its deadline; it stays `open` after the
 *   deadline until BuyRequestExpired is recorded, but takes nothing more.
 * - `filled`: the filled total reached the face value wanted, by a fill or
 *   by an amendment of the face value down to what was filled. Final.
 * - `cancelled`: the buyer called it off. Final.
 * - `expired`: the deadline passed and BuyRequestExpired was recorded. Final.
 *
 * The filled total is the sum of the fills and never exceeds the face value
 * wanted; it equals the face value exactly when the status is `filled`.
 */
import type { CreditType } from '../command-fields.js';
import type { Cents } from '../money.js';

/** One deal's fill, kept so that the same fill sent again is recognised. */
export interface BuyRequestFill {
  readonly faceValueCents: Cents;
  readonly filledAt: Date;
}

/** What every buy request that exists holds. */
export interface BuyRequestRecord {
  readonly buyRequestId: string;
  readonly buyerId: string;
  readonly provider: string;
  readonly creditTypes: readonly CreditType[];
  readonly faceValueCents: Cents;
  readonly maxPriceBps: number;
  readonly minValidityDays: number;
  readonly deadline: Date;
  readonly placedAt: Date;
  /** Fills by deal id. */
  readonly fills: ReadonlyMap<string, BuyRequestFill>;
  readonly filledFaceValueCents: Cents;
}

export interface UnplacedBuyRequest {
  readonly status: 'none';
}

export interface OpenBuyRequest extends BuyRequestRecord {
  readonly status: 'open';
}

export interface FilledBuyRequest extends BuyRequestRecord {
  readonly status: 'filled';
  /** When the filled total reached the face value wanted. */
  readonly filledAt: Date;
}

export interface CancelledBuyRequest extends BuyRequestRecord {
  readonly status: 'cancelled';
  readonly cancellation: { readonly reason: string; readonly cancelledAt: Date };
}

export interface ExpiredBuyRequest extends BuyRequestRecord {
  readonly status: 'expired';
  readonly expiredAt: Date;
}

export type BuyRequestState = UnplacedBuyRequest | OpenBuyRequest | FilledBuyRequest | CancelledBuyRequest | ExpiredBuyRequest;

export type ExistingBuyRequest = Exclude<BuyRequestState, UnplacedBuyRequest>;

export type BuyRequestStatus = BuyRequestState['status'];

export const BUY_REQUEST_STATUSES = ['none', 'open', 'filled', 'cancelled', 'expired'] as const satisfies readonly BuyRequestStatus[];

export const initialBuyRequestState: BuyRequestState = Object.freeze({ status: 'none' });

/** The face value still wanted. */
export function unfilledFaceValueCents(request: Pick<BuyRequestRecord, 'faceValueCents' | 'filledFaceValueCents'>): Cents {
  return request.faceValueCents - request.filledFaceValueCents;
}

/** Filled, cancelled or expired: nothing more happens to the request. */
export function isClosedBuyRequest(state: BuyRequestState): state is Exclude<ExistingBuyRequest, OpenBuyRequest> {
  return state.status === 'filled' || state.status === 'cancelled' || state.status === 'expired';
}
