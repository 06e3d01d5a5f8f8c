import { CreateLedgerEvents1763900000000 } from './migrations/1763900000000-create-ledger-events.js';

/** The event store's schema, in order. Read models append theirs after these. */
export const eventStoreMigrations = [CreateLedgerEvents1763900000000] as const;
