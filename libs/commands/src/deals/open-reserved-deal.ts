/**
 * Opens the deal a reservation was made for. Shared by the HTTP path (right
 * after reserving) and the process manager (after a crash between the two):
 * the DealOpened event id is derived from the listing and the deal, so
 * whichever runs second writes nothing.
 */
import { DomainError, dealStreamId, type Cents, type ListingState, type ReservationMatch } from '#domain';
import type { EventStore } from '#event-store';
import type { CommandOutcome } from '../command-outcome.js';
import type { Clock, LedgerDeciders } from '../ledger-command-settings.js';
import type { CommandContext } from '../stream/command-context.js';
import { derivedId } from '../stream/derived-id.js';
import { foldStream, runStreamCommand } from '../stream/run-stream-command.js';

export interface Reservation {
  readonly listingId: string;
  readonly dealId: string;
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly match: ReservationMatch;
}

export function dealOpenedEventId(listingId: string, dealId: string): string {
  return derivedId(`${listingId}/${dealId}`, 'DealOpened');
}

export async function openReservedDeal(
  dependencies: { readonly store: EventStore; readonly deciders: LedgerDeciders; readonly clock: Clock },
  listing: ListingState,
  reservation: Reservation,
  context: CommandContext,
  freshDealId = false,
): Promise<CommandOutcome> {
  if (listing.status === 'none') throw new DomainError('LISTING_NOT_FOUND', `listing ${reservation.listingId} not found`, { listingId: reservation.listingId });
  const streamId = dealStreamId(reservation.dealId);
  try {
    const result = await runStreamCommand({
      store: dependencies.store,
      streamId,
      decider: dependencies.deciders.deal,
      command: {
        type: 'OpenDeal',
        dealId: reservation.dealId,
        listingId: reservation.listingId,
        sellerId: listing.sellerId,
        buyerId: reservation.match.buyerId,
        brokerId: reservation.match.brokerId,
        currency: listing.currency,
        faceValueCents: reservation.faceValueCents,
        priceCents: reservation.priceCents,
        commissionBps: reservation.match.commissionBps,
        creditExpiresAt: listing.creditExpiresAt,
        ...(reservation.match.buyRequestId === null ? {} : { buyRequestId: reservation.match.buyRequestId }),
      },
      context,
      now: dependencies.clock,
      eventId: () => dealOpenedEventId(reservation.listingId, reservation.dealId),
      freshStream: freshDealId,
    });
    return { id: reservation.dealId, streamRevision: result.streamRevision, position: result.position };
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'DEAL_ALREADY_EXISTS')) throw error;
    // Opened already, by the other path: answer with the deal as it is.
    const current = await foldStream(dependencies.store, streamId, dependencies.deciders.deal);
    if (current.state.status === 'none' || current.state.listingId !== reservation.listingId) throw error;
    return { id: reservation.dealId, streamRevision: current.revision, position: null };
  }
}
