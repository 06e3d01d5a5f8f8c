export { ledgerMigrations } from './database/ledger-migrations.js';
export { provisionDatabase, type ProvisionedDatabase } from './database/provision-database.js';
export {
  DurableSubscription,
  type DurableSubscriptionOptions,
  type LogSubscriber,
  type SubscriptionState,
  type SubscriptionStatus,
} from './subscriptions/durable-subscription.js';
export { listingView, listingViewProjection, LISTING_VIEW } from './projections/listing-view.js';
export { dealView, dealViewProjection, DEAL_VIEW } from './projections/deal-view.js';
export { streamViewProjection, type StreamViewDefinition } from './projections/stream-view-projection.js';
export * from './audit/audit.js';
export * from './journal/journal.js';
export * from './queries/queries.js';
