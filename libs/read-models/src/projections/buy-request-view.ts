import {
  assertNever,
  buyRequestDeadlines,
  decodeBuyRequestEvent,
  evolveBuyRequest,
  initialBuyRequestState,
  unfilledFaceValueCents,
  type BuyRequestEvent,
  type BuyRequestState,
  type ExistingBuyRequest,
} from '#domain';
import { streamViewProjection, type StreamViewDefinition } from './stream-view-projection.js';

export const BUY_REQUEST_VIEW = 'buy-request-view';
/** Every table the buy-request view writes: a rebuild truncates them (and clears its streams' deadline rows). */
export const BUY_REQUEST_VIEW_TABLES = ['buy_request_view'] as const;

export const buyRequestView: StreamViewDefinition<BuyRequestState, BuyRequestEvent> = {
  name: BUY_REQUEST_VIEW,
  table: 'buy_request_view',
  streamPrefix: 'buy-request-',
  initialState: initialBuyRequestState,
  evolve: evolveBuyRequest,
  decode: decodeBuyRequestEvent,
  deadlines: buyRequestDeadlines,
  columns: {
    status: 'text',
    buyer_id: 'text',
    provider: 'text',
    credit_types: 'text[]',
    market_keys: 'text[]',
    face_value_cents: 'bigint',
    filled_face_value_cents: 'bigint',
    unfilled_face_value_cents: 'bigint',
    max_price_bps: 'int',
    min_validity_days: 'int',
    deadline: 'timestamptz',
    placed_at: 'timestamptz',
    first_filled_at: 'timestamptz',
    closed_at: 'timestamptz',
  },
  columnValues: (request) =>
    request.status === 'none'
      ? null
      : {
          status: request.status,
          buyer_id: request.buyerId,
          provider: request.provider,
          credit_types: request.creditTypes,
          market_keys: marketKeys(request.provider, request.creditTypes),
          face_value_cents: request.faceValueCents,
          filled_face_value_cents: request.filledFaceValueCents,
          unfilled_face_value_cents: unfilledFaceValueCents(request),
          max_price_bps: request.maxPriceBps,
          min_validity_days: request.minValidityDays,
          deadline: request.deadline,
          placed_at: request.placedAt,
          first_filled_at: firstFilledAt(request),
          closed_at: closedAt(request),
        },
};

export const buyRequestViewProjection = () => streamViewProjection(buyRequestView);

/**
 * The markets a request buys in, `<provider>:<credit type>` for each type it
 * accepts: one GIN key finds the requests a listing could fill by provider
 * and credit type at once (a provider slug holds no colon).
 */
export function marketKeys(provider: string, creditTypes: readonly string[]): string[] {
  return creditTypes.map((creditType) => `${provider}:${creditType}`);
}

/**
 * When a deal first filled the request; null before any. Released fills
 * count too: the request was matched then, even if that deal later ended
 * without selling, so the time never moves once set.
 */
function firstFilledAt(request: ExistingBuyRequest): Date | null {
  let first: Date | null = null;
  for (const fill of [...request.fills.values(), ...request.releasedFills.values()]) if (first === null || fill.filledAt < first) first = fill.filledAt;
  return first;
}

/** When the request stopped taking fills for good: filled, cancelled or expired; null while open. */
function closedAt(request: ExistingBuyRequest): Date | null {
  switch (request.status) {
    case 'open':
      return null;
    case 'filled':
      return request.filledAt;
    case 'cancelled':
      return request.cancellation.cancelledAt;
    case 'expired':
      return request.expiredAt;
    default:
      return assertNever(request);
  }
}
