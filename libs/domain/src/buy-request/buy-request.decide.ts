/**
 * The buy-request decider: one small pure function per command. It reads no
 * clock (`now` is an argument) and makes up no ids; it returns the new facts
 * or throws a DomainError with a stable code.
 *
 * The request stream is the lock against over-filling: a fill is refused
 * unless what is still wanted covers it, so the filled total never exceeds
 * the face value wanted. Its deadline is checked against `now` here, so a
 * fill or an amendment that arrives after it is refused even when the
 * deadline worker has not recorded the expiry yet (shared/DOMAIN.md,
 * "Expiry enforcement").
 */
import { type CreditType, requireCreditType, requireId, requirePositiveCents, requireProvider, requireText, requireTime } from '../command-fields.js';
import { DomainError } from '../domain-error.js';
import { assertNever, invariant } from '../invariant.js';
import { MAX_BASIS_POINTS } from '../limits.js';
import type { Cents } from '../money.js';
import {
  type AmendBuyRequest,
  BUY_REQUEST_AMENDABLE_FIELDS,
  type BuyRequestCommand,
  type CancelBuyRequest,
  type ExpireBuyRequest,
  type PlaceBuyRequest,
  type RecordBuyRequestFill,
  type ReduceBuyRequestFill,
  type ReleaseBuyRequestFill,
} from './buy-request.commands.js';
import type { BuyRequestAmended, BuyRequestEvent } from './buy-request.events.js';
import { MAX_FILLS_PER_BUY_REQUEST, MAX_MIN_VALIDITY_DAYS } from './buy-request.policy.js';
import type { BuyRequestState, ExistingBuyRequest, OpenBuyRequest } from './buy-request.state.js';

export function decideBuyRequest(state: BuyRequestState, command: BuyRequestCommand, now: Date): BuyRequestEvent[] {
  invariant(now instanceof Date && !Number.isNaN(now.getTime()), 'now must be a valid Date');
  switch (command.type) {
    case 'PlaceBuyRequest':
      return placeBuyRequest(state, command, now);
    case 'AmendBuyRequest':
      return amendBuyRequest(state, command, now);
    case 'RecordBuyRequestFill':
      return recordBuyRequestFill(state, command, now);
    case 'ReleaseBuyRequestFill':
      return releaseBuyRequestFill(state, command, now);
    case 'ReduceBuyRequestFill':
      return reduceBuyRequestFill(state, command, now);
    case 'CancelBuyRequest':
      return cancelBuyRequest(state, command, now);
    case 'ExpireBuyRequest':
      return expireBuyRequest(state, command, now);
    default:
      return assertNever(command);
  }
}

function placeBuyRequest(state: BuyRequestState, command: PlaceBuyRequest, now: Date): BuyRequestEvent[] {
  requireId(command.buyRequestId, 'buyRequestId');
  requireId(command.buyerId, 'buyerId');
  requireProvider(command.provider);
  requireCreditTypes(command.creditTypes);
  requirePositiveCents(command.faceValueCents, 'faceValueCents');
  requireMaxPriceBps(command.maxPriceBps);
  requireMinValidityDays(command.minValidityDays);
  requireTime(command.deadline, 'deadline');
  requireId(command.placedBy, 'placedBy');
  if (state.status !== 'none') {
    throw new DomainError('BUY_REQUEST_ALREADY_EXISTS', `buy request ${command.buyRequestId} already exists`, { buyRequestId: command.buyRequestId });
  }
  refuseDeadlineNotAhead(command.buyRequestId, command.deadline, now);
  return [
    {
      type: 'BuyRequestPlaced',
      data: {
        buyRequestId: command.buyRequestId,
        buyerId: command.buyerId,
        provider: command.provider,
        creditTypes: [...command.creditTypes],
        faceValueCents: command.faceValueCents,
        maxPriceBps: command.maxPriceBps,
        minValidityDays: command.minValidityDays,
        deadline: command.deadline,
        placedBy: command.placedBy,
        placedAt: now,
      },
    },
  ];
}

/**
 * Changes the terms of an open request before its deadline. Only the terms
 * that differ are recorded; an amendment that changes nothing records
 * nothing (a retry finds its fact there), as a listing's repricing does.
 */
function amendBuyRequest(state: BuyRequestState, command: AmendBuyRequest, now: Date): BuyRequestEvent[] {
  if (command.provider !== undefined) requireProvider(command.provider);
  if (command.creditTypes !== undefined) requireCreditTypes(command.creditTypes);
  if (command.faceValueCents !== undefined) requirePositiveCents(command.faceValueCents, 'faceValueCents');
  if (command.maxPriceBps !== undefined) requireMaxPriceBps(command.maxPriceBps);
  if (command.minValidityDays !== undefined) requireMinValidityDays(command.minValidityDays);
  if (command.deadline !== undefined) requireTime(command.deadline, 'deadline');
  if (BUY_REQUEST_AMENDABLE_FIELDS.every((field) => command[field] === undefined)) {
    throw new DomainError('INVALID_AMENDMENT', `an amendment names at least one of ${BUY_REQUEST_AMENDABLE_FIELDS.join(', ')}`, {
      buyRequestId: command.buyRequestId,
    });
  }
  const request = requireOpen(state, command.buyRequestId);
  refuseAfterDeadline(request, now);
  if (command.deadline !== undefined) refuseDeadlineNotAhead(request.buyRequestId, command.deadline, now);
  if (command.faceValueCents !== undefined && command.faceValueCents < request.filledFaceValueCents) {
    throw overfilled(request, 'the face value wanted may not drop below what deals have already filled', command.faceValueCents);
  }
  const changes: Omit<BuyRequestAmended['data'], 'buyRequestId' | 'amendedAt'> = {
    ...(command.provider !== undefined && command.provider !== request.provider ? { provider: command.provider } : {}),
    ...(command.creditTypes !== undefined && !sameCreditTypes(command.creditTypes, request.creditTypes) ? { creditTypes: [...command.creditTypes] } : {}),
    ...(command.faceValueCents !== undefined && command.faceValueCents !== request.faceValueCents ? { faceValueCents: command.faceValueCents } : {}),
    ...(command.maxPriceBps !== undefined && command.maxPriceBps !== request.maxPriceBps ? { maxPriceBps: command.maxPriceBps } : {}),
    ...(command.minValidityDays !== undefined && command.minValidityDays !== request.minValidityDays ? { minValidityDays: command.minValidityDays } : {}),
    ...(command.deadline !== undefined && command.deadline.getTime() !== request.deadline.getTime() ? { deadline: command.deadline } : {}),
  };
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'BuyRequestAmended', data: { buyRequestId: request.buyRequestId, ...changes, amendedAt: now } }];
}

/**
 * Records that a deal takes part of the request. Exactly once per deal: the
 * same fill sent again (a retried POST /v1/deals, a process manager's rerun)
 * records nothing, even once the request is filled or closed, or the fill
 * released; the same deal with another face value is a conflict.
 */
function recordBuyRequestFill(state: BuyRequestState, command: RecordBuyRequestFill, now: Date): BuyRequestEvent[] {
  requireId(command.dealId, 'dealId');
  requirePositiveCents(command.faceValueCents, 'faceValueCents');
  const request = requireExisting(state, command.buyRequestId);
  if (isRepeatedFill(request, command)) return [];
  const open = requireOpen(request, command.buyRequestId);
  refuseAfterDeadline(open, now);
  // Released fills count: the limit bounds the stream, and each of them is a fact in it.
  if (open.fills.size + open.releasedFills.size >= MAX_FILLS_PER_BUY_REQUEST) {
    throw new DomainError('BUY_REQUEST_FILL_LIMIT_REACHED', `a buy request takes at most ${MAX_FILLS_PER_BUY_REQUEST} fills`, { buyRequestId: open.buyRequestId });
  }
  const filledFaceValueCents = open.filledFaceValueCents + command.faceValueCents;
  if (filledFaceValueCents > open.faceValueCents) {
    throw overfilled(open, 'the fill exceeds the face value still wanted', undefined, command.faceValueCents);
  }
  return [
    {
      type: 'BuyRequestFilled',
      data: { buyRequestId: open.buyRequestId, dealId: command.dealId, faceValueCents: command.faceValueCents, filledFaceValueCents, filledAt: now },
    },
  ];
}

function isRepeatedFill(request: ExistingBuyRequest, command: RecordBuyRequestFill): boolean {
  const earlier = request.fills.get(command.dealId) ?? request.releasedFills.get(command.dealId);
  if (earlier === undefined) return false;
  // A reduced fill is still recognised by the face value the deal first filled (a rerun sends that one).
  if ((earlier.originalFaceValueCents ?? earlier.faceValueCents) === command.faceValueCents) return true;
  throw new DomainError('BUY_REQUEST_ALREADY_FILLED_BY_DEAL', `deal ${command.dealId} already filled another face value of this buy request`, {
    buyRequestId: request.buyRequestId,
    dealId: command.dealId,
    faceValueCents: earlier.faceValueCents.toString(),
  });
}

/**
 * Gives back the fill of a deal that ended without selling. Exactly once per
 * deal: a deal that never filled the request, or whose fill is released
 * already, records nothing (the process manager may run again, and sends a
 * release for every ending deal that names a request).
 *
 * No clock check and any status: the deal's end is a fact whatever became of
 * the request. A filled request is open again after it (see evolve); past
 * its deadline it takes nothing more, since fills and amendments are refused
 * against `now`, and the deadline worker expires it. A cancelled or expired
 * request keeps its status with the lower filled total.
 */
function releaseBuyRequestFill(state: BuyRequestState, command: ReleaseBuyRequestFill, now: Date): BuyRequestEvent[] {
  requireId(command.dealId, 'dealId');
  const request = requireExisting(state, command.buyRequestId);
  const fill = request.fills.get(command.dealId);
  if (fill === undefined) return [];
  return [
    {
      type: 'BuyRequestFillReleased',
      data: {
        buyRequestId: request.buyRequestId,
        dealId: command.dealId,
        faceValueCents: fill.faceValueCents,
        filledFaceValueCents: request.filledFaceValueCents - fill.faceValueCents,
        releasedAt: now,
      },
    },
  ];
}

/**
 * Cuts a deal's fill to what the deal now takes (its terms amended to a
 * smaller face value, or its transfer confirming less than it filled); the
 * difference is wanted again. Never raises a fill: a face value at or above
 * the current fill, a deal that holds no fill, or one whose fill is released
 * records nothing, so the process manager may send it again, or for every
 * amendment and confirmation of a deal that names a request.
 *
 * No clock check and any status, as a release: what the deal takes is a
 * fact whatever became of the request. A filled request is open again after
 * it (see evolve).
 */
function reduceBuyRequestFill(state: BuyRequestState, command: ReduceBuyRequestFill, now: Date): BuyRequestEvent[] {
  requireId(command.dealId, 'dealId');
  requirePositiveCents(command.faceValueCents, 'faceValueCents');
  const request = requireExisting(state, command.buyRequestId);
  const fill = request.fills.get(command.dealId);
  if (fill === undefined || command.faceValueCents >= fill.faceValueCents) return [];
  const releasedFaceValueCents = fill.faceValueCents - command.faceValueCents;
  return [
    {
      type: 'BuyRequestFillReduced',
      data: {
        buyRequestId: request.buyRequestId,
        dealId: command.dealId,
        faceValueCents: command.faceValueCents,
        releasedFaceValueCents,
        filledFaceValueCents: request.filledFaceValueCents - releasedFaceValueCents,
        reducedAt: now,
      },
    },
  ];
}

/**
 * The buyer calls the request off. No clock check: like a listing's
 * withdrawal, a request past its deadline but not yet expired may still be
 * cancelled (it takes no fills either way).
 */
function cancelBuyRequest(state: BuyRequestState, command: CancelBuyRequest, now: Date): BuyRequestEvent[] {
  requireText(command.reason, 'reason');
  const request = requireOpen(state, command.buyRequestId);
  return [{ type: 'BuyRequestCancelled', data: { buyRequestId: request.buyRequestId, reason: command.reason, cancelledAt: now } }];
}

/**
 * Records that the deadline passed. Refused before it; a request that is
 * already filled, cancelled or expired records nothing, so the deadline
 * worker may run it again after a restart, on several instances, or after
 * losing a race with the last fill or a cancellation.
 */
function expireBuyRequest(state: BuyRequestState, command: ExpireBuyRequest, now: Date): BuyRequestEvent[] {
  const request = requireExisting(state, command.buyRequestId);
  if (request.status !== 'open') return [];
  if (now < request.deadline) {
    throw new DomainError('BUY_REQUEST_DEADLINE_NOT_REACHED', `buy request ${request.buyRequestId} stays open until ${request.deadline.toISOString()}`, {
      buyRequestId: request.buyRequestId,
      deadline: request.deadline.toISOString(),
    });
  }
  return [{ type: 'BuyRequestExpired', data: { buyRequestId: request.buyRequestId, deadline: request.deadline, expiredAt: now } }];
}

function requireExisting(state: BuyRequestState, buyRequestId: string): ExistingBuyRequest {
  if (state.status === 'none') throw new DomainError('BUY_REQUEST_NOT_FOUND', `buy request ${buyRequestId} does not exist`, { buyRequestId });
  invariant(state.buyRequestId === buyRequestId, `command for buy request ${buyRequestId} decided on buy request ${state.buyRequestId}`);
  return state;
}

function requireOpen(state: BuyRequestState, buyRequestId: string): OpenBuyRequest {
  const request = requireExisting(state, buyRequestId);
  if (request.status === 'open') return request;
  throw new DomainError('BUY_REQUEST_NOT_OPEN', `buy request ${buyRequestId} is ${request.status}`, { buyRequestId, status: request.status });
}

function refuseAfterDeadline(request: OpenBuyRequest, now: Date): void {
  if (now >= request.deadline) {
    throw buyRequestExpired(request.buyRequestId, request.deadline, `buy request ${request.buyRequestId} passed its deadline at ${request.deadline.toISOString()}`);
  }
}

/** A deadline at or before `now` would place (or leave) a request that is expired already, as a listing refuses credits that expire. */
function refuseDeadlineNotAhead(buyRequestId: string, deadline: Date, now: Date): void {
  if (deadline <= now) throw buyRequestExpired(buyRequestId, deadline, `the deadline ${deadline.toISOString()} of buy request ${buyRequestId} is not ahead`);
}

function buyRequestExpired(buyRequestId: string, deadline: Date, message: string): DomainError {
  return new DomainError('BUY_REQUEST_EXPIRED', message, { buyRequestId, deadline: deadline.toISOString() });
}

function overfilled(request: OpenBuyRequest, message: string, faceValueCents?: Cents, fillFaceValueCents?: Cents): DomainError {
  return new DomainError('BUY_REQUEST_OVERFILLED', message, {
    buyRequestId: request.buyRequestId,
    faceValueCents: (faceValueCents ?? request.faceValueCents).toString(),
    filledFaceValueCents: request.filledFaceValueCents.toString(),
    ...(fillFaceValueCents === undefined ? {} : { fillFaceValueCents: fillFaceValueCents.toString() }),
  });
}

/** Non-empty and each type once: a list of the credit types the buyer accepts, where order means nothing. */
function requireCreditTypes(value: readonly CreditType[], field = 'creditTypes'): void {
  if (!Array.isArray(value) || value.length === 0 || new Set(value).size !== value.length) {
    throw new DomainError('INVALID_CREDIT_TYPE', `${field} must name at least one credit type, each once`, { field });
  }
  value.forEach((creditType, index) => requireCreditType(creditType, `${field}[${index}]`));
}

/** A price of nothing is no offer, and a ceiling above face value is no discount (shared/DOMAIN.md: 30 to 70 percent off). */
function requireMaxPriceBps(value: number, field = 'maxPriceBps'): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_BASIS_POINTS) {
    throw new DomainError('INVALID_PRICE_CEILING', `${field} must be a whole number of basis points of face value from 1 to ${MAX_BASIS_POINTS}`, { field });
  }
}

function requireMinValidityDays(value: number, field = 'minValidityDays'): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_MIN_VALIDITY_DAYS) {
    throw new DomainError('INVALID_DURATION', `${field} must be a whole number of days from 0 to ${MAX_MIN_VALIDITY_DAYS}`, { field });
  }
}

function sameCreditTypes(a: readonly CreditType[], b: readonly CreditType[]): boolean {
  return a.length === b.length && a.every((creditType) => b.includes(creditType));
}
