/**
 * Folds buy-request facts into state. Pure, reads no clock, and never throws
 * on a history the decider produced; a history it could not have produced
 * (a fill past the face value wanted, a filled total that is not the sum of
 * the current fills, the release or reduction of a fill that is not there) is a broken
 * invariant and crashes.
 */
import { assertNever, invariant } from '../invariant.js';
import type {
  BuyRequestAmended,
  BuyRequestCancelled,
  BuyRequestEvent,
  BuyRequestExpired,
  BuyRequestFilled,
  BuyRequestFillReduced,
  BuyRequestFillReleased,
  BuyRequestPlaced,
} from './buy-request.events.js';
import { type BuyRequestRecord, type BuyRequestState, type ExistingBuyRequest, type OpenBuyRequest, initialBuyRequestState } from './buy-request.state.js';

export function evolveBuyRequest(state: BuyRequestState, event: BuyRequestEvent): BuyRequestState {
  const next = applyEvent(state, event);
  assertFillsSound(next);
  return next;
}

/** Folds a whole stream from the start. */
export function foldBuyRequestEvents(events: readonly BuyRequestEvent[]): BuyRequestState {
  return events.reduce(evolveBuyRequest, initialBuyRequestState);
}

function applyEvent(state: BuyRequestState, event: BuyRequestEvent): BuyRequestState {
  switch (event.type) {
    case 'BuyRequestPlaced':
      return onPlaced(state, event);
    case 'BuyRequestAmended':
      return onAmended(state, event);
    case 'BuyRequestFilled':
      return onFilled(state, event);
    case 'BuyRequestFillReleased':
      return onFillReleased(state, event);
    case 'BuyRequestFillReduced':
      return onFillReduced(state, event);
    case 'BuyRequestCancelled':
      return onCancelled(state, event);
    case 'BuyRequestExpired':
      return onExpired(state, event);
    default:
      return assertNever(event);
  }
}

function onPlaced(state: BuyRequestState, event: BuyRequestPlaced): BuyRequestState {
  invariant(state.status === 'none', `BuyRequestPlaced on a ${state.status} buy request`);
  return { status: 'open', ...event.data, fills: new Map(), releasedFills: new Map(), filledFaceValueCents: 0n };
}

/** An amendment of the face value down to exactly what was filled leaves nothing wanted: the request is filled. */
function onAmended(state: BuyRequestState, event: BuyRequestAmended): BuyRequestState {
  const request = expectOpen(state, event);
  const { buyRequestId: _buyRequestId, amendedAt, ...changes } = event.data;
  const amended: OpenBuyRequest = { ...request, ...changes };
  invariant(amended.filledFaceValueCents <= amended.faceValueCents, `buy request ${request.buyRequestId} amended below its filled face value`);
  if (amended.filledFaceValueCents === amended.faceValueCents) return { ...amended, status: 'filled', filledAt: amendedAt };
  return amended;
}

function onFilled(state: BuyRequestState, event: BuyRequestFilled): BuyRequestState {
  const request = expectOpen(state, event);
  const { dealId, faceValueCents, filledFaceValueCents, filledAt } = event.data;
  invariant(!request.fills.has(dealId) && !request.releasedFills.has(dealId), `deal ${dealId} filled buy request ${request.buyRequestId} twice`);
  invariant(filledFaceValueCents === request.filledFaceValueCents + faceValueCents, `fill of deal ${dealId} does not add up to its filled total`);
  const filled: OpenBuyRequest = { ...request, fills: new Map(request.fills).set(dealId, { faceValueCents, filledAt }), filledFaceValueCents };
  if (filled.filledFaceValueCents === filled.faceValueCents) return { ...filled, status: 'filled', filledAt };
  return filled;
}

/**
 * The deal's fill leaves the current fills. A filled request is open again;
 * whether it takes fills again is the decider's call against its deadline.
 * A cancelled or expired request keeps its status.
 */
function onFillReleased(state: BuyRequestState, event: BuyRequestFillReleased): BuyRequestState {
  invariant(state.status !== 'none', `BuyRequestFillReleased on a buy request that does not exist`);
  const { dealId, faceValueCents, filledFaceValueCents, releasedAt } = event.data;
  const fill = state.fills.get(dealId);
  invariant(fill !== undefined, `BuyRequestFillReleased for deal ${dealId}, which holds no fill of buy request ${state.buyRequestId}`);
  invariant(fill.faceValueCents === faceValueCents, `release of deal ${dealId} names another face value than its fill`);
  invariant(filledFaceValueCents === state.filledFaceValueCents - faceValueCents, `release of deal ${dealId} does not add up to its filled total`);
  const fills = new Map(state.fills);
  fills.delete(dealId);
  const released: Pick<BuyRequestRecord, 'fills' | 'releasedFills' | 'filledFaceValueCents'> = {
    fills,
    releasedFills: new Map(state.releasedFills).set(dealId, {
      faceValueCents,
      filledAt: fill.filledAt,
      ...(fill.originalFaceValueCents === undefined ? {} : { originalFaceValueCents: fill.originalFaceValueCents }),
      releasedAt,
    }),
    filledFaceValueCents,
  };
  return withLowerFill(state, released);
}

/**
 * The deal's fill shrinks to what the deal now takes; the difference is
 * wanted again. Like a release, it makes a filled request open again and
 * leaves a cancelled or expired one as it is.
 */
function onFillReduced(state: BuyRequestState, event: BuyRequestFillReduced): BuyRequestState {
  invariant(state.status !== 'none', `BuyRequestFillReduced on a buy request that does not exist`);
  const { dealId, faceValueCents, releasedFaceValueCents, filledFaceValueCents, reducedAt } = event.data;
  const fill = state.fills.get(dealId);
  invariant(fill !== undefined, `BuyRequestFillReduced for deal ${dealId}, which holds no fill of buy request ${state.buyRequestId}`);
  invariant(faceValueCents > 0n && releasedFaceValueCents > 0n, `reduction of deal ${dealId} must leave a fill and give something back`);
  invariant(faceValueCents + releasedFaceValueCents === fill.faceValueCents, `reduction of deal ${dealId} does not add up to its fill`);
  invariant(filledFaceValueCents === state.filledFaceValueCents - releasedFaceValueCents, `reduction of deal ${dealId} does not add up to its filled total`);
  const reduced: Pick<BuyRequestRecord, 'fills' | 'filledFaceValueCents'> = {
    fills: new Map(state.fills).set(dealId, {
      faceValueCents,
      filledAt: fill.filledAt,
      originalFaceValueCents: fill.originalFaceValueCents ?? fill.faceValueCents,
      reducedAt,
    }),
    filledFaceValueCents,
  };
  return withLowerFill(state, reduced);
}

/** A lower filled total: a filled request is open again; any other keeps its status. */
function withLowerFill(state: ExistingBuyRequest, lower: Partial<Pick<BuyRequestRecord, 'fills' | 'releasedFills' | 'filledFaceValueCents'>>): BuyRequestState {
  switch (state.status) {
    case 'open':
    case 'cancelled':
    case 'expired':
      return { ...state, ...lower };
    case 'filled': {
      const { filledAt: _filledAt, ...request } = state;
      return { ...request, ...lower, status: 'open' };
    }
    default:
      return assertNever(state);
  }
}

function onCancelled(state: BuyRequestState, event: BuyRequestCancelled): BuyRequestState {
  const request = expectOpen(state, event);
  return { ...request, status: 'cancelled', cancellation: { reason: event.data.reason, cancelledAt: event.data.cancelledAt } };
}

function onExpired(state: BuyRequestState, event: BuyRequestExpired): BuyRequestState {
  const request = expectOpen(state, event);
  invariant(event.data.deadline.getTime() === request.deadline.getTime(), `BuyRequestExpired names another deadline than buy request ${request.buyRequestId} has`);
  return { ...request, status: 'expired', expiredAt: event.data.expiredAt };
}

function expectOpen(state: BuyRequestState, event: BuyRequestEvent): OpenBuyRequest {
  invariant(state.status === 'open', `${event.type} on a ${state.status} buy request`);
  return state;
}

function assertFillsSound(state: BuyRequestState): void {
  if (state.status === 'none') return;
  let sumCents = 0n;
  for (const fill of state.fills.values()) {
    invariant(fill.faceValueCents > 0n, `buy request ${state.buyRequestId} holds an empty fill`);
    sumCents += fill.faceValueCents;
  }
  invariant(sumCents === state.filledFaceValueCents, `buy request ${state.buyRequestId} filled total differs from its fills`);
  for (const dealId of state.releasedFills.keys()) invariant(!state.fills.has(dealId), `deal ${dealId} both fills and released buy request ${state.buyRequestId}`);
  invariant(state.filledFaceValueCents <= state.faceValueCents, `buy request ${state.buyRequestId} is over-filled`);
  invariant(
    (state.status === 'filled') === (state.filledFaceValueCents === state.faceValueCents),
    `buy request ${state.buyRequestId} is ${state.status} with ${state.filledFaceValueCents} of ${state.faceValueCents} filled`,
  );
}
