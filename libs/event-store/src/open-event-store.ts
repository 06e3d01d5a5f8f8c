/**
 * Opens the configured store: PostgreSQL (the default, in the ledger's own
 * database) or EventStoreDB. The only place that chooses an adapter.
 */
import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';

export interface EventStoreSettings {
  readonly kind: 'postgres' | 'eventstoredb';
  /** The ledger's PostgreSQL, used when kind is 'postgres'. */
  readonly databaseUrl: string;
  readonly eventStoreConnectionString: string | null;
  /** Connections for the PostgreSQL store; default 20. */
  readonly poolSize?: number;
  /**
   * PostgreSQL's statement_timeout on the store's sessions: a statement
   * running longer is cancelled (SQLSTATE 57014) rather than holding its
   * connection. Absent: the server's setting (none by default). The
   * EventStoreDB adapter has no such setting.
   */
  readonly statementTimeoutMs?: number;
}

const logger = new Logger('EventStore');

export async function openEventStore(settings: EventStoreSettings): Promise<EventStore> {
  switch (settings.kind) {
    case 'postgres': {
      const pool = new pg.Pool({ connectionString: settings.databaseUrl, max: settings.poolSize ?? 20, statement_timeout: settings.statementTimeoutMs });
      // An idle connection dropped by the server (restart, failover) must not crash the process:
      // the pool replaces it, and queries meanwhile fail as EventStoreUnavailableError.
      return new PostgresEventStore(pool, { onIdleConnectionError: (error) => logger.warn(`idle PostgreSQL connection lost: ${error.message}`) });
    }
    case 'eventstoredb':
      if (settings.eventStoreConnectionString === null) throw new Error('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING');
      return EventStoreDbEventStore.fromConnectionString(settings.eventStoreConnectionString);
  }
}
