import { eventStoreMigrations } from '#event-store';

/**
 * Every migration of the ledger's PostgreSQL database, in order: the event
 * store's table first, then the read models' (added with the projections).
 */
export const ledgerMigrations = [...eventStoreMigrations] as const;
