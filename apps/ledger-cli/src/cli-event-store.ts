/**
 * Opens the event store the way the API and the worker do, from the same
 * environment (readLedgerConfig): DATABASE_URL for the PostgreSQL store, or
 * EVENT_STORE=eventstoredb with EVENTSTORE_CONNECTION_STRING. The CLI never
 * starts the embedded PostgreSQL: it works on a store that already exists,
 * and its sessions hold only the runtime role's privileges (ledger-writer-role.ts).
 */
import { readLedgerConfig } from '#configuration';
import { openEventStore, restrictToLedgerWriter, type EventStore } from '#event-store';

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
    // As the runtime role, like the service, or a read-only login as it is: the CLI only reads events.
    databaseUrl: config.eventStore === 'postgres' && config.databaseUrl !== null ? (await restrictToLedgerWriter(config.databaseUrl, { readOnly: true })).url : (config.databaseUrl ?? ''),
    eventStoreConnectionString: config.eventStoreConnectionString,
    poolSize: CLI_POOL_SIZE,
    // verify and export walk the whole log a page per statement: each page is quick, but an operator's
    // walk of hours should not die on one slow page of a loaded server, so the background bound.
    statementTimeoutMs: config.backgroundStatementTimeoutMs,
  });
}
