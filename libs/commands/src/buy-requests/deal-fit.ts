/**
 * POST /v1/deals (and its quote) naming a buy request: the deal must fit the
 * request as it is now, or it is refused before anything is written. The
 * fill itself is recorded once the deal is open, by the reservation process
 * manager (buy-request-fill.ts), whose decider checks again what may have
 * changed meanwhile: what is still unfilled, the status, the deadline.
 */
import { DomainError, buyRequestStreamId, dealMismatches, listingStreamId, type Cents } from '#domain';
import type { EventStore } from '#event-store';
import type { LedgerDeciders } from '../ledger-command-settings.js';
import { foldStream } from '../stream/run-stream-command.js';

/** The terms of a deal about to be opened from a buy request. */
export interface DealOnBuyRequest {
  readonly dealId: string;
  readonly listingId: string;
  readonly buyerId: string;
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly buyRequestId: string;
}

/**
 * Throws BUY_REQUEST_NOT_FOUND for a request that does not exist, and
 * BUY_REQUEST_MISMATCH with `details.reasons` (buy-request.policy.ts,
 * DEAL_MISMATCHES) for a deal that does not fit it at `now`.
 */
export async function refuseDealMisfit(
  dependencies: { readonly store: EventStore; readonly deciders: LedgerDeciders },
  deal: DealOnBuyRequest,
  now: Date,
): Promise<void> {
  const { state: request } = await foldStream(dependencies.store, buyRequestStreamId(deal.buyRequestId), dependencies.deciders.buyRequest);
  if (request.status === 'none') {
    throw new DomainError('BUY_REQUEST_NOT_FOUND', `buy request ${deal.buyRequestId} not found`, { buyRequestId: deal.buyRequestId });
  }
  // This very deal filled the request already: its opening runs again (a taken-over Idempotency-Key), it is no new match.
  if (request.fills.has(deal.dealId) || request.releasedFills.has(deal.dealId)) return;
  const { state: listing } = await foldStream(dependencies.store, listingStreamId(deal.listingId), dependencies.deciders.listing);
  if (listing.status === 'none') throw new DomainError('LISTING_NOT_FOUND', `listing ${deal.listingId} not found`, { listingId: deal.listingId });
  const reasons = dealMismatches(
    request,
    {
      listingId: deal.listingId,
      provider: listing.provider,
      creditType: listing.creditType,
      faceValueCents: deal.faceValueCents,
      priceCents: deal.priceCents,
      creditExpiresAt: listing.creditExpiresAt,
      buyerId: deal.buyerId,
    },
    now,
  );
  if (reasons.length > 0) {
    throw new DomainError('BUY_REQUEST_MISMATCH', `the deal does not fit buy request ${deal.buyRequestId}: ${reasons.join(', ')}`, {
      buyRequestId: deal.buyRequestId,
      reasons,
    });
  }
}
