import { eventStoreMigrations } from '#event-store';
import { CreateApiKeys1764100000000 } from './migrations/1764100000000-create-api-keys.js';
import { CreateIdempotencyKeys1764100000001 } from './migrations/1764100000001-create-idempotency-keys.js';
import { CreateSubscriptionCheckpoints1764100000002 } from './migrations/1764100000002-create-subscription-checkpoints.js';
import { CreateListingAndDealViews1764100000003 } from './migrations/1764100000003-create-listing-and-deal-views.js';
import { CreateJournal1764100000004 } from './migrations/1764100000004-create-journal.js';
import { CreateBuyRequestView1764100000005 } from './migrations/1764100000005-create-buy-request-view.js';
import { CreateDeadlines1764300000000 } from './migrations/1764300000000-create-deadlines.js';
import { JournalListingWriteOffs1764300000001 } from './migrations/1764300000001-journal-listing-write-offs.js';
import { DeadlinesFromStreamViews1764400000001 } from './migrations/1764400000001-deadlines-from-stream-views.js';

/**
 * Every migration of the ledger's PostgreSQL database, in order: the event
 * store's table first, then the API edge's (keys, idempotency), then
 * subscription checkpoints and the read models'.
 */
export const ledgerMigrations = [
  ...eventStoreMigrations,
  CreateApiKeys1764100000000,
  CreateIdempotencyKeys1764100000001,
  CreateSubscriptionCheckpoints1764100000002,
  CreateListingAndDealViews1764100000003,
  CreateJournal1764100000004,
  CreateBuyRequestView1764100000005,
  CreateDeadlines1764300000000,
  JournalListingWriteOffs1764300000001,
  DeadlinesFromStreamViews1764400000001,
] as const;
