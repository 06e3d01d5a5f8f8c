import { dealDeadlines, decodeDealEvent, evolveDeal, initialDealState, type DealEvent, type DealState } from '#domain';
import { streamViewProjection, type StreamViewDefinition } from './stream-view-projection.js';

export const DEAL_VIEW = 'deal-view';
/** Every table the deal view writes: a rebuild truncates them (and clears its streams' deadline rows). */
export const DEAL_VIEW_TABLES = ['deal_view'] as const;

export const dealView: StreamViewDefinition<DealState, DealEvent> = {
  name: DEAL_VIEW,
  table: 'deal_view',
  streamPrefix: 'deal-',
  initialState: initialDealState,
  evolve: evolveDeal,
  decode: decodeDealEvent,
  deadlines: dealDeadlines,
  columns: {
    status: 'text',
    listing_id: 'text',
    seller_id: 'text',
    buyer_id: 'text',
    broker_id: 'text',
    currency: 'text',
    face_value_cents: 'bigint',
    price_cents: 'bigint',
    commission_bps: 'int',
    commission_cents: 'bigint',
    payout_cents: 'bigint',
    paid_cents: 'bigint',
    terms_version: 'int',
    approval_deadline: 'timestamptz',
    credit_expires_at: 'timestamptz',
    opened_at: 'timestamptz',
    approved_at: 'timestamptz',
    funded_at: 'timestamptz',
    transferred_at: 'timestamptz',
    closed_at: 'timestamptz',
  },
  columnValues: (deal) =>
    deal.status === 'none'
      ? null
      : {
          status: deal.status,
          listing_id: deal.listingId,
          seller_id: deal.sellerId,
          buyer_id: deal.buyerId,
          broker_id: deal.brokerId,
          currency: deal.currency,
          face_value_cents: deal.faceValueCents,
          price_cents: deal.priceCents,
          commission_bps: deal.commissionBps,
          commission_cents: deal.commissionCents,
          payout_cents: deal.payoutCents,
          paid_cents: deal.paidCents,
          terms_version: deal.termsVersion,
          approval_deadline: deal.approvalDeadline,
          credit_expires_at: deal.creditExpiresAt,
          opened_at: deal.openedAt,
          approved_at: deal.approvedAt ?? null,
          funded_at: deal.fundedAt ?? null,
          transferred_at: deal.transferredAt ?? null,
          closed_at: deal.closedAt ?? null,
        },
};

export const dealViewProjection = () => streamViewProjection(dealView);
