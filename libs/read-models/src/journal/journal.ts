/** The books (shared/DOMAIN.md): the journal projection, its queries and their cursors. */
export { JOURNAL, JOURNAL_TABLES, journalProjection, type JournalProjectionOptions } from './journal-projection.js';
export { decodeAccountCursor, decodeLogCursor, encodeAccountCursor, encodeLogCursor, type AccountCursor, type LogCursor } from './journal-cursors.js';
export {
  AccountBalanceHandler,
  AccountBalanceQuery,
  AccountPostingsHandler,
  AccountPostingsQuery,
  JOURNAL_QUERY_HANDLERS,
  JournalEntriesHandler,
  JournalEntriesQuery,
  ListAccountBalancesHandler,
  ListAccountBalancesQuery,
  type AccountBalance,
  type AccountBalanceItem,
  type AccountPostingItem,
  type JournalEntryItem,
  type JournalPage,
} from './journal-queries.js';
