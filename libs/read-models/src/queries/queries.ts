/** The read side's queries (issue 4, items 3 and 4): listings and deals, paged, read-your-writes, and deals "as of". */
export { ReadModelQueriesModule, type ReadModelQueriesOptions } from './read-model-queries.module.js';
export { GetListingQuery, ListListingsQuery, type ListingFilter, type PageRequest } from './listing-queries.js';
export { GetDealAsOfQuery, GetDealQuery, ListDealsQuery, type DealFilter, type DealScope } from './deal-queries.js';
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, MAX_CURSOR_LENGTH, decodePageCursor, encodePageCursor, type Page, type PageCursor } from './page-cursor.js';
export { dealAnswer, listingAnswer, type DealAnswer, type ListingAnswer } from './read-model-answers.js';
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
