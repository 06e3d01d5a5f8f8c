/**
 * A deal opened from a buy request fills it; a deal that ends without
 * selling gives its fill back; a deal that comes to take less (its terms
 * amended to a smaller face value, its transfer confirming less) cuts its
 * fill to that. All are sent by the reservation process
 * manager, in log order, with event ids derived from their causes, so a
 * rerun after a crash writes nothing twice (and the decider treats a
 * repeated fill, release or reduction as done).
 *
 * A fill the request refuses (a race: between the check of POST /v1/deals
 * and the fill, other deals filled the request, or it was cancelled, or its
 * deadline passed) cancels the just-opened deal, with the refusal as its
 * reason: the deal's DealCancelled then releases its listing reservation
 * like any other cancellation. Nothing is retried, so the process manager
 * neither loops nor stops on it.
 */
import {
  MAX_TEXT_LENGTH,
  buyRequestStreamId,
  dealStreamId,
  isDomainError,
  type Cents,
  type DealState,
  type DomainError,
} from '#domain';
import type { EventStore } from '#event-store';
import type { Clock, LedgerDeciders } from '../ledger-command-settings.js';
import type { CommandContext } from '../stream/command-context.js';
import { derivedId } from '../stream/derived-id.js';
import { foldStream, runStreamCommand } from '../stream/run-stream-command.js';

export interface BuyRequestFillDependencies {
  readonly store: EventStore;
  readonly deciders: LedgerDeciders;
  readonly clock: Clock;
}

/** The reservation a deal was opened on, naming the request it fills. */
export interface ReservationOnBuyRequest {
  readonly listingId: string;
  readonly dealId: string;
  /** The reserved face value: fixed, so a rerun sends the very same fill whatever the deal's later amendments. */
  readonly faceValueCents: Cents;
  readonly buyRequestId: string;
}

/**
 * What became of the fill: recorded (or found recorded); not due, because
 * the deal is not open (never opened, or ended without selling already);
 * refused, and the deal cancelled for it; refused, and the deal past
 * cancelling (a transfer under way or confirmed, a dispute), so it goes on
 * unrecorded on the request.
 */
export type BuyRequestFillOutcome = 'filled' | 'no_open_deal' | 'refused_deal_cancelled' | 'refused_deal_not_cancellable';

/** One fill per reservation: the same id whoever records it, however often. */
export function buyRequestFilledEventId(listingId: string, dealId: string): string {
  return derivedId(`${listingId}/${dealId}`, 'BuyRequestFilled');
}

/** The cancellation of a deal whose fill was refused: the same ids whoever records it, however often. */
export function fillRefusedCancellationEventId(listingId: string, dealId: string, index: number): string {
  return derivedId(`${listingId}/${dealId}`, `DealCancelled-buy-request-fill-refused-${index}`);
}

export async function recordBuyRequestFill(
  dependencies: BuyRequestFillDependencies,
  reservation: ReservationOnBuyRequest,
  context: CommandContext,
): Promise<BuyRequestFillOutcome> {
  const { state: deal } = await foldStream(dependencies.store, dealStreamId(reservation.dealId), dependencies.deciders.deal);
  if (deal.status === 'none' || endsWithoutSelling(deal)) return 'no_open_deal';
  try {
    await runStreamCommand({
      store: dependencies.store,
      streamId: buyRequestStreamId(reservation.buyRequestId),
      decider: dependencies.deciders.buyRequest,
      command: { type: 'RecordBuyRequestFill', buyRequestId: reservation.buyRequestId, dealId: reservation.dealId, faceValueCents: reservation.faceValueCents },
      context,
      now: dependencies.clock,
      eventId: () => buyRequestFilledEventId(reservation.listingId, reservation.dealId),
    });
    return 'filled';
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return cancelRefusedDeal(dependencies, reservation, error, context);
  }
}

/** Gives back the fill of a deal that ended without selling; a deal that holds no fill (or whose request does not exist) records nothing. */
export async function releaseBuyRequestFill(
  dependencies: BuyRequestFillDependencies,
  deal: { readonly dealId: string; readonly buyRequestId: string },
  context: CommandContext,
  eventId: (index: number) => string,
): Promise<void> {
  try {
    await runStreamCommand({
      store: dependencies.store,
      streamId: buyRequestStreamId(deal.buyRequestId),
      decider: dependencies.deciders.buyRequest,
      command: { type: 'ReleaseBuyRequestFill', buyRequestId: deal.buyRequestId, dealId: deal.dealId },
      context,
      now: dependencies.clock,
      eventId,
    });
  } catch (error) {
    // A deal may name a request that was never placed (opened before requests were checked): it filled nothing.
    if (!(isDomainError(error) && error.code === 'BUY_REQUEST_NOT_FOUND')) throw error;
  }
}

/**
 * Cuts the fill of a deal to the face value it now takes; a deal that holds
 * no fill, or a fill already at or below that, records nothing (as does a
 * request that does not exist).
 */
export async function reduceBuyRequestFill(
  dependencies: BuyRequestFillDependencies,
  deal: { readonly dealId: string; readonly buyRequestId: string; readonly faceValueCents: Cents },
  context: CommandContext,
  eventId: (index: number) => string,
): Promise<void> {
  try {
    await runStreamCommand({
      store: dependencies.store,
      streamId: buyRequestStreamId(deal.buyRequestId),
      decider: dependencies.deciders.buyRequest,
      command: { type: 'ReduceBuyRequestFill', buyRequestId: deal.buyRequestId, dealId: deal.dealId, faceValueCents: deal.faceValueCents },
      context,
      now: dependencies.clock,
      eventId,
    });
  } catch (error) {
    // As for a release: a deal may name a request that was never placed, and filled nothing.
    if (!(isDomainError(error) && error.code === 'BUY_REQUEST_NOT_FOUND')) throw error;
  }
}

/** Rejected, cancelled or expired with no confirmed transfer: the credits stay with the seller. */
function endsWithoutSelling(deal: DealState): boolean {
  switch (deal.status) {
    case 'cancelled':
    case 'rejected':
    case 'expired':
      return deal.confirmedFaceValueCents === undefined;
    default:
      return false;
  }
}

async function cancelRefusedDeal(
  dependencies: BuyRequestFillDependencies,
  reservation: ReservationOnBuyRequest,
  refusal: DomainError,
  context: CommandContext,
): Promise<BuyRequestFillOutcome> {
  const reason = `buy request ${reservation.buyRequestId} refused this deal's fill (${refusal.code}): ${refusal.message}`.slice(0, MAX_TEXT_LENGTH);
  try {
    await runStreamCommand({
      store: dependencies.store,
      streamId: dealStreamId(reservation.dealId),
      decider: dependencies.deciders.deal,
      command: { type: 'CancelDeal', dealId: reservation.dealId, reason },
      context,
      now: dependencies.clock,
      eventId: (index) => fillRefusedCancellationEventId(reservation.listingId, reservation.dealId, index),
    });
    return 'refused_deal_cancelled';
  } catch (error) {
    if (!isDomainError(error)) throw error;
    // Past cancelling, credits may be moving already: the deal goes on, and the request does not count it.
    return 'refused_deal_not_cancellable';
  }
}
