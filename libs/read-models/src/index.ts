export { ledgerMigrations } from './database/ledger-migrations.js';
export { provisionDatabase, type ProvisionedDatabase } from './database/provision-database.js';
export {
  DurableSubscription,
  type DurableSubscriptionOptions,
  type LogSubscriber,
  type SubscriptionState,
  type SubscriptionStatus,
} from './subscriptions/durable-subscription.js';
