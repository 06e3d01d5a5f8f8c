/** The read side's queries (issue 4, items 3 and 4; issue 5, items 3 and 6): listings, deals and buy requests, paged, read-your-writes, deals "as of", and match suggestions. */
export { ReadModelQueriesModule, type ReadModelQueriesOptions } from './read-model-queries.module.js';
export { GetListingQuery, ListListingsQuery, type ListingFilter, type PageRequest } from './listing-queries.js';
export { GetBuyRequestQuery, ListBuyRequestsQuery, type BuyRequestFilter } from './buy-request-queries.js';
export {
  BuyRequestMatchesQuery,
  DEFAULT_MATCH_LIMIT,
  ListingMatchesQuery,
  MAX_MATCH_LIMIT,
  proRatedAskCents,
  suggestBuyRequestsForListing,
  suggestListingsForBuyRequest,
  type BuyRequestToMatch,
  type ListingToMatch,
  type MatchSuggestionSettings,
} from './match-suggestions.js';
export { GetDealAsOfQuery, GetDealQuery, ListDealsQuery, type DealFilter, type DealScope } from './deal-queries.js';
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, MAX_CURSOR_LENGTH, decodePageCursor, encodePageCursor, type Page, type PageCursor } from './page-cursor.js';
export {
  buyRequestAnswer,
  dealAnswer,
  listingAnswer,
  type BuyRequestAnswer,
  type DealAnswer,
  type ListingAnswer,
  type MatchSuggestionAnswer,
} from './read-model-answers.js';
export { READ_MODEL_DATABASE, type ReadModelDatabase } from './read-model-database.js';
export {
  CHECKPOINT_POLL_INTERVAL_MS,
  READ_MODEL_BEHIND_RETRY_AFTER_SECONDS,
  READ_YOUR_WRITES_TIMEOUT_MS,
  ProjectionCatchUp,
  ReadModelBehindError,
  postgresCheckpointReader,
  type CheckpointReader,
  type ReadYourWritesSettings,
} from './read-your-writes.js';
