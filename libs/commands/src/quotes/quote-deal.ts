import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listingStreamId, quoteDeal, type DealQuote } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { LEDGER_CLOCK, LEDGER_DECIDERS, type Clock, type LedgerDeciders } from '../ledger-command-settings.js';
import { foldStream } from '../stream/run-stream-command.js';
import type { OpenDealRequestData } from '../deals/open-deal.js';
import { refuseDealMisfit } from '../buy-requests/deal-fit.js';

/**
 * POST /v1/deals/quote: what POST /v1/deals would do, decided against the
 * listing as it is now, and written nowhere. A match the listing would
 * refuse (not verified, not enough available, expiring) is refused here
 * with the same code, and so is a deal that does not fit the buy request it
 * names (BUY_REQUEST_MISMATCH, BUY_REQUEST_NOT_FOUND).
 */
export class QuoteDealQuery extends Query<DealQuote> {
  constructor(readonly request: OpenDealRequestData) {
    super();
  }
}

@QueryHandler(QuoteDealQuery)
export class QuoteDealQueryHandler implements IQueryHandler<QuoteDealQuery, DealQuote> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_DECIDERS) private readonly deciders: LedgerDeciders,
    @Inject(LEDGER_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request }: QuoteDealQuery): Promise<DealQuote> {
    if (request.buyRequestId !== null) {
      await refuseDealMisfit({ store: this.store, deciders: this.deciders }, { ...request, buyRequestId: request.buyRequestId }, this.clock());
    }
    const { state: listing } = await foldStream(this.store, listingStreamId(request.listingId), this.deciders.listing);
    // The reservation's decision, run dry: it throws exactly what the real match would. For a deal
    // id no reservation holds: a quote opens no deal, and an id the client sent that names a deal
    // (another broker's, say) must not turn the answer into that deal's reservation.
    this.deciders.listing.decide(
      listing,
      {
        type: 'ReserveListing',
        listingId: request.listingId,
        dealId: randomUUID(),
        faceValueCents: request.faceValueCents,
        priceCents: request.priceCents,
        match: { buyerId: request.buyerId, brokerId: request.brokerId, commissionBps: request.commissionBps, buyRequestId: request.buyRequestId },
      },
      this.clock(),
    );
    if (listing.status === 'none') throw new Error('a reservation was decided on a listing that does not exist');
    return quoteDeal({
      faceValueCents: request.faceValueCents,
      priceCents: request.priceCents,
      commissionBps: request.commissionBps,
      sellerId: listing.sellerId,
      buyerId: request.buyerId,
      currency: listing.currency,
    });
  }
}
