/**
 * Opens the event store the way the API and the worker do, from the same
 * environment (readLedgerConfig): DATABASE_URL for the PostgreSQL store, or
 * EVENT_STORE=eventstoredb with EVENTSTORE_CONNECTION_STRING. The CLI never
 * starts the embedded PostgreSQL: it works on a store that already exists.
 */
import { readLedgerConfig } from '#configuration';
import { openEventStore, type EventStore } from '#event-store';

/** A walk reads one page at a time: two connections are plenty. */
const CLI_POOL_SIZE = 2;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export async function openCliEventStore(env: Readonly<Record<string, string | undefined>>): Promise<EventStore> {
  const config = readLedgerConfig(env);
  if (config.eventStore === 'postgres' && config.databaseUrl === null) {
    throw new CliUsageError('DATABASE_URL is required (or EVENT_STORE=eventstoredb with EVENTSTORE_CONNECTION_STRING)');
  }
  return openEventStore({
    kind: config.eventStore,
    databaseUrl: config.databaseUrl ?? '',
    eventStoreConnectionString: config.eventStoreConnectionString,
    poolSize: CLI_POOL_SIZE,
  });
}
