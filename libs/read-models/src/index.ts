export { ledgerMigrations } from './database/ledger-migrations.js';
export { provisionDatabase, type ProvisionedDatabase } from './database/provision-database.js';
