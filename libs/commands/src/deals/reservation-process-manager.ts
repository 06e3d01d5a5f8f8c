/**
 * Finishes what a crash interrupted between the listing and the deal stream,
 * and settles reservations when deals end:
 * - a reservation with no deal gets its deal opened;
 * - a reservation made for a buy request records the deal's fill on the
 *   request once the deal is open (a refused fill cancels the deal, see
 *   buy-request-fill.ts);
 * - a deal that ends releases its reservation, or sells the face value its
 *   transfer confirmed; one that ends without selling also releases its
 *   fill of the buy request it was opened from;
 * - a deal opened from a buy request that comes to take less (its terms
 *   amended to a smaller face value, its transfer confirming less than its
 *   face value) cuts its fill of the request to that, so the difference is
 *   wanted again.
 * It runs as a durable subscription (single leader, checkpointed). Every
 * event it writes has an id derived from the event that caused it (or from
 * the reservation), so a rerun after a crash writes nothing twice; the
 * deciders also treat a repeated fill, release or sale as already done.
 */
import { decodeListingEvent, dealStreamId, listingStreamId, type DealState, type ListingReserved } from '#domain';
import type { EventStore, LogFilter, RecordedEvent } from '#event-store';
import { recordBuyRequestFill, reduceBuyRequestFill, releaseBuyRequestFill } from '../buy-requests/buy-request-fill.js';
import type { Clock, LedgerDeciders } from '../ledger-command-settings.js';
import type { CommandContext } from '../stream/command-context.js';
import { derivedId } from '../stream/derived-id.js';
import { foldStream, runStreamCommand } from '../stream/run-stream-command.js';
import { openReservedDeal } from './open-reserved-deal.js';

/** Deal facts after which the deal may have ended. */
const DEAL_ENDINGS = ['DealSettled', 'DealRejected', 'DealCancelled', 'DealExpired', 'DisputeResolved'] as const;

/** Deal facts after which the deal may take less face value than it filled of its buy request. */
const DEAL_REDUCTIONS = ['DealTermsAmended', 'CreditTransferConfirmed'] as const;

export const RESERVATION_PROCESS_MANAGER = 'reservation-process-manager';

export class ReservationProcessManager {
  readonly name = RESERVATION_PROCESS_MANAGER;
  readonly filter: LogFilter = { eventTypes: ['ListingReserved', ...DEAL_REDUCTIONS, ...DEAL_ENDINGS] };

  constructor(private readonly dependencies: { readonly store: EventStore; readonly deciders: LedgerDeciders; readonly clock: Clock }) {}

  /** Handles a batch in log order; effects go to the event store, so the transaction is not used. */
  async handle(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (event.type === 'ListingReserved') await this.followReservation(event);
      else if (isDealReduction(event.type)) await this.followDealFaceValue(event);
      else await this.settleReservation(event);
    }
  }

  private async followReservation(event: RecordedEvent): Promise<void> {
    const reserved = decodeListingEvent(event);
    if (reserved.type !== 'ListingReserved') return;
    await this.ensureDealOpened(reserved, event);
    const { listingId, dealId, faceValueCents, match } = reserved.data;
    if (match.buyRequestId !== null) {
      await recordBuyRequestFill(this.dependencies, { listingId, dealId, faceValueCents, buyRequestId: match.buyRequestId }, contextOf(event));
    }
  }

  private async ensureDealOpened(reserved: ListingReserved, event: RecordedEvent): Promise<void> {
    const { listingId, dealId } = reserved.data;
    const deal = await foldStream(this.dependencies.store, dealStreamId(dealId), this.dependencies.deciders.deal);
    if (deal.state.status !== 'none') return;
    const listing = await foldStream(this.dependencies.store, listingStreamId(listingId), this.dependencies.deciders.listing);
    // A reservation released meanwhile needs no deal any more.
    if (listing.state.status === 'none' || !listing.state.reservations.has(dealId)) return;
    await openReservedDeal(this.dependencies, listing.state, reserved.data, contextOf(event));
  }

  /**
   * Cuts the buy request's fill to what the deal takes now: its confirmed
   * face value once a transfer is confirmed, its (amended) face value before.
   * The deal is read as it is now, so a late run sends the latest value; the
   * decider never raises a fill and records nothing when it is already there.
   */
  private async followDealFaceValue(event: RecordedEvent): Promise<void> {
    const dealId = String(event.data.dealId);
    const { state: deal } = await foldStream(this.dependencies.store, dealStreamId(dealId), this.dependencies.deciders.deal);
    if (deal.status === 'none' || deal.buyRequestId === undefined) return;
    const faceValueCents = deal.confirmedFaceValueCents ?? deal.faceValueCents;
    await reduceBuyRequestFill(this.dependencies, { dealId, buyRequestId: deal.buyRequestId, faceValueCents }, contextOf(event), (index) =>
      derivedId(event.id, `buy-request-reduce-${index}`),
    );
  }

  private async settleReservation(event: RecordedEvent): Promise<void> {
    const dealId = String(event.data.dealId);
    const deal = await foldStream(this.dependencies.store, dealStreamId(dealId), this.dependencies.deciders.deal);
    const ending = endingOf(deal.state);
    if (ending === null || deal.state.status === 'none') return;
    const listingId = deal.state.listingId;
    await runStreamCommand({
      store: this.dependencies.store,
      streamId: listingStreamId(listingId),
      decider: this.dependencies.deciders.listing,
      command:
        ending.kind === 'sell'
          ? { type: 'SellListingReservation', listingId, dealId, faceValueCents: ending.faceValueCents }
          : { type: 'ReleaseListingReservation', listingId, dealId, reason: ending.reason },
      context: contextOf(event),
      now: this.dependencies.clock,
      eventId: (index) => derivedId(event.id, `reservation-${ending.kind}-${index}`),
    });
    const buyRequestId = deal.state.buyRequestId;
    if (buyRequestId === undefined) return;
    if (ending.kind === 'release') {
      await releaseBuyRequestFill(this.dependencies, { dealId, buyRequestId }, contextOf(event), (index) => derivedId(event.id, `buy-request-release-${index}`));
    } else {
      // The request counts what the deal sold, no more (a transfer confirmed for less than the fill).
      await reduceBuyRequestFill(this.dependencies, { dealId, buyRequestId, faceValueCents: ending.faceValueCents }, contextOf(event), (index) =>
        derivedId(event.id, `buy-request-reduce-${index}`),
      );
    }
  }
}

type Ending = { readonly kind: 'sell'; readonly faceValueCents: bigint } | { readonly kind: 'release'; readonly reason: string };

/** What a deal's end means for its reservation; null while the deal is still open. */
function endingOf(deal: DealState): Ending | null {
  switch (deal.status) {
    case 'settled':
    case 'cancelled':
    case 'rejected':
    case 'expired':
      // Credits a confirmed transfer delivered are gone from the listing, whatever happened to the money.
      if (deal.confirmedFaceValueCents !== undefined) return { kind: 'sell', faceValueCents: deal.confirmedFaceValueCents };
      return { kind: 'release', reason: `deal_${deal.status}` };
    default:
      return null;
  }
}

function isDealReduction(type: string): boolean {
  return (DEAL_REDUCTIONS as readonly string[]).includes(type);
}

function contextOf(event: RecordedEvent): CommandContext {
  return { actorId: RESERVATION_PROCESS_MANAGER, actorRole: 'system', correlationId: event.metadata.correlationId, causationId: event.id };
}
