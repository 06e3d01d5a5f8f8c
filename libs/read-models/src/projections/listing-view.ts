import { decodeListingEvent, evolveListing, initialListingState, listingDeadlines, type ListingEvent, type ListingState } from '#domain';
import { streamViewProjection, type StreamViewDefinition } from './stream-view-projection.js';

export const LISTING_VIEW = 'listing-view';
/** Every table the listing view writes: a rebuild truncates them (and clears its streams' deadline rows). */
export const LISTING_VIEW_TABLES = ['listing_view'] as const;

export const listingView: StreamViewDefinition<ListingState, ListingEvent> = {
  name: LISTING_VIEW,
  table: 'listing_view',
  streamPrefix: 'listing-',
  initialState: initialListingState,
  evolve: evolveListing,
  decode: decodeListingEvent,
  deadlines: listingDeadlines,
  columns: {
    status: 'text',
    seller_id: 'text',
    provider: 'text',
    credit_type: 'text',
    currency: 'text',
    face_value_cents: 'bigint',
    verified_face_value_cents: 'bigint',
    reserved_face_value_cents: 'bigint',
    sold_face_value_cents: 'bigint',
    available_face_value_cents: 'bigint',
    ask_price_cents: 'bigint',
    credit_expires_at: 'timestamptz',
    submitted_at: 'timestamptz',
  },
  columnValues: (listing) =>
    listing.status === 'none'
      ? null
      : {
          status: listing.status,
          seller_id: listing.sellerId,
          provider: listing.provider,
          credit_type: listing.creditType,
          currency: listing.currency,
          face_value_cents: listing.claimedFaceValueCents,
          verified_face_value_cents: listing.verifiedFaceValueCents,
          reserved_face_value_cents: listing.reservedFaceValueCents,
          sold_face_value_cents: listing.soldFaceValueCents,
          available_face_value_cents: listing.availableFaceValueCents,
          ask_price_cents: listing.askPriceCents,
          credit_expires_at: listing.creditExpiresAt,
          submitted_at: listing.submittedAt,
        },
};

export const listingViewProjection = () => streamViewProjection(listingView);
