export * from './event-store.port.js';
export * from './event-store.errors.js';
export * from './log-position.js';
export * from './hash-chain.js';
export { verifyStoredStream } from './stream-verifier.js';
export { readCatchUp, type CatchUpOptions } from './catch-up-reader.js';
export { waitUnlessAborted } from './abortable-wait.js';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store.js';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store.js';
export { eventStoreMigrations } from './postgres/event-store-migrations.js';
export { runMigrations } from './postgres/migration-runner.js';
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningPostgres } from './postgres/embedded-postgres-server.js';
export { openEventStore, type EventStoreSettings } from './open-event-store.js';
export {
  APPEND_ONLY_TABLES,
  INSUFFICIENT_PRIVILEGE,
  LEDGER_WRITER_ROLE,
  LedgerWriterRoleError,
  restrictToLedgerWriter,
  withSessionRole,
  type LedgerWriterAccess,
  type RestrictOptions,
} from './postgres/ledger-writer-role.js';
