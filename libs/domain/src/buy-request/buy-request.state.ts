/**
 * A buy request as its events leave it: a union tagged by `status`.
 *
 * Statuses, precisely:
 * - `none`: no event yet.
 * - `open`: placed, something left to fill. It takes fills (and amendments)
 *   while the clock is before its deadline; it stays `open` after the
 *   deadline until BuyRequestExpired is recorded, but takes nothing more.
 * - `filled`: the filled total reached the face value wanted, by a fill or
 *   by an amendment of the face value down to what was filled. Final, unless
 *   a deal that filled it ends without selling, or comes to take less (its
 *   terms amended down, its transfer confirming less): the release or
 *   reduction of its fill makes the request `open` again. Before its deadline it then takes fills again;
 *   after it, it takes nothing and the deadline worker expires it, as any
 *   open request past its deadline.
 * - `cancelled`: the buyer called it off. Final.
 * - `expired`: the deadline passed and BuyRequestExpired was recorded. Final.
 *
 * A cancelled or expired request still records the release or reduction of
 * a fill (its filled total then says what deals still deliver); its status
 * stays.
 *
 * The filled total is the sum of the current fills (released ones excluded)
 * and never exceeds the face value wanted; it equals the face value exactly
 * when the status is `filled`.
 */
import type { CreditType } from '../command-fields.js';
import type { Cents } from '../money.js';

/** One deal's fill, kept so that the same fill sent again is recognised. */
export interface BuyRequestFill {
  /** What the deal takes now: the face value it filled, or less once reduced. */
  readonly faceValueCents: Cents;
  readonly filledAt: Date;
  /** Once reduced: the face value the deal first filled, so that its fill sent again is still recognised. */
  readonly originalFaceValueCents?: Cents;
  /** Once reduced: when it was last reduced. */
  readonly reducedAt?: Date;
}

/** A fill whose deal ended without selling, kept so that a repeated fill or release of that deal is recognised. */
export interface ReleasedBuyRequestFill {
  /** What the deal took when released. */
  readonly faceValueCents: Cents;
  readonly filledAt: Date;
  /** When the fill had been reduced before its release: the face value the deal first filled. */
  readonly originalFaceValueCents?: Cents;
  readonly releasedAt: Date;
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
  /** Who manages the request with an admin; null: recorded before placers were, an admin's alone. */
  readonly placedBy: string | null;
  readonly placedAt: Date;
  /** Current fills by deal id. */
  readonly fills: ReadonlyMap<string, BuyRequestFill>;
  /** Released fills by deal id: a deal fills a request at most once, and is released at most once. */
  readonly releasedFills: ReadonlyMap<string, ReleasedBuyRequestFill>;
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

/**
 * Filled, cancelled or expired: the request takes no fill, amendment,
 * cancellation or expiry. Only the release or reduction of a fill is still
 * recorded (and makes a filled request open again).
 */
export function isClosedBuyRequest(state: BuyRequestState): state is Exclude<ExistingBuyRequest, OpenBuyRequest> {
  return state.status === 'filled' || state.status === 'cancelled' || state.status === 'expired';
}
