export { ledgerMigrations } from './database/ledger-migrations.js';
export { provisionDatabase, type ProvisionedDatabase } from './database/provision-database.js';
export {
  DurableSubscription,
  applyBatch,
  leaderLockHolders,
  loadCheckpoint,
  releaseLeaderLock,
  tryLeaderLock,
  type DurableSubscriptionOptions,
  type LogSubscriber,
  type SubscriptionState,
  type SubscriptionStatus,
} from './subscriptions/durable-subscription.js';
export { listingView, listingViewProjection, LISTING_VIEW, LISTING_VIEW_TABLES } from './projections/listing-view.js';
export { dealView, dealViewProjection, DEAL_VIEW, DEAL_VIEW_TABLES } from './projections/deal-view.js';
export { buyRequestView, buyRequestViewProjection, BUY_REQUEST_VIEW, BUY_REQUEST_VIEW_TABLES } from './projections/buy-request-view.js';
export { streamViewProjection, type StreamViewDefinition } from './projections/stream-view-projection.js';
export * from './audit/audit.js';
export * from './journal/journal.js';
export * from './queries/queries.js';
export {
  REBUILDABLE_PROJECTIONS,
  findRebuildableProjection,
  rebuildProjection,
  startGate,
  type RebuildableProjection,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildResult,
} from './rebuild/projection-rebuild.js';
export * from './dashboard/dashboard.js';
export * from './deadlines/deadlines.js';
export * from './api-keys/api-keys.js';
