import { ConfigurationError, readLedgerConfig } from './ledger-config.js';

describe('readLedgerConfig', () => {
  it('defaults to the embedded PostgreSQL and the documented windows', () => {
    const config = readLedgerConfig({});

    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: null,
      eventStore: 'postgres',
      adminKey: null,
      approvalWindowMs: 48 * 3_600_000,
      expiryMarginMs: 72 * 3_600_000,
      deadlinePollMs: 1_000,
    });
  });

  it('takes a server, EventStoreDB and an admin key from the environment', () => {
    const config = readLedgerConfig({
      DATABASE_URL: 'postgres://ledger@db:5432/ledger',
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_CONNECTION_STRING: 'esdb://esdb:2113?tls=false',
      LEDGER_ADMIN_KEY: 'a-long-enough-admin-key-0001',
      PORT: '8080',
    });

    expect(config).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://ledger@db:5432/ledger',
      eventStore: 'eventstoredb',
      eventStoreConnectionString: 'esdb://esdb:2113?tls=false',
      adminKey: 'a-long-enough-admin-key-0001',
    });
  });

  it('reports every problem at once', () => {
    const read = () =>
      readLedgerConfig({ PORT: 'eighty', EVENT_STORE: 'mongo', DATABASE_URL: 'mysql://x', LEDGER_ADMIN_KEY: 'short', LEDGER_DEADLINE_POLL_MS: '-5' });

    expect(read).toThrow(ConfigurationError);
    try {
      read();
    } catch (error) {
      expect((error as ConfigurationError).problems).toEqual([
        'EVENT_STORE must be "postgres" or "eventstoredb", got "mongo"',
        'DATABASE_URL must be a postgres:// or postgresql:// connection string',
        'LEDGER_ADMIN_KEY must be at least 24 characters',
        'PORT must be a whole number from 0 to 65535, got "eighty"',
        'LEDGER_DEADLINE_POLL_MS must be a whole number from 10 to 3600000, got "-5"',
      ]);
    }
  });

  it('refuses an approval window longer than the deal rules allow (30 days) at start', () => {
    expect(readLedgerConfig({ LEDGER_APPROVAL_WINDOW_MS: String(30 * 86_400_000) }).approvalWindowMs).toBe(30 * 86_400_000);
    expect(() => readLedgerConfig({ LEDGER_APPROVAL_WINDOW_MS: String(30 * 86_400_000 + 1) })).toThrow(
      'LEDGER_APPROVAL_WINDOW_MS must be a whole number from 1 to 2592000000',
    );
  });

  it('needs a connection string to use EventStoreDB', () => {
    expect(() => readLedgerConfig({ EVENT_STORE: 'eventstoredb' })).toThrow(/EVENTSTORE_CONNECTION_STRING/);
  });

  it('takes the owner\'s connection for migrations apart from the runtime one, only beside DATABASE_URL', () => {
    expect(readLedgerConfig({ DATABASE_URL: 'postgres://ledger_app@db/ledger' }).migrationDatabaseUrl).toBeNull();
    expect(
      readLedgerConfig({ DATABASE_URL: 'postgres://ledger_app@db/ledger', LEDGER_MIGRATION_DATABASE_URL: 'postgres://ledger_owner@db/ledger' }),
    ).toMatchObject({ databaseUrl: 'postgres://ledger_app@db/ledger', migrationDatabaseUrl: 'postgres://ledger_owner@db/ledger' });
    expect(() => readLedgerConfig({ DATABASE_URL: 'postgres://ledger_app@db/ledger', LEDGER_MIGRATION_DATABASE_URL: 'mysql://x' })).toThrow(
      'LEDGER_MIGRATION_DATABASE_URL must be a postgres:// or postgresql:// connection string',
    );
    expect(() => readLedgerConfig({ LEDGER_MIGRATION_DATABASE_URL: 'postgres://ledger_owner@db/ledger' })).toThrow('LEDGER_MIGRATION_DATABASE_URL needs DATABASE_URL');
  });

  it('bounds database statements: a few seconds for requests, longer for background work, each configurable', () => {
    expect(readLedgerConfig({})).toMatchObject({ statementTimeoutMs: 5_000, backgroundStatementTimeoutMs: 60_000 });
    expect(readLedgerConfig({ LEDGER_STATEMENT_TIMEOUT_MS: '250', LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS: '900000' })).toMatchObject({
      statementTimeoutMs: 250,
      backgroundStatementTimeoutMs: 900_000,
    });
    expect(() => readLedgerConfig({ LEDGER_STATEMENT_TIMEOUT_MS: '0' })).toThrow('LEDGER_STATEMENT_TIMEOUT_MS must be a whole number from 100 to 3600000');
    expect(() => readLedgerConfig({ LEDGER_STATEMENT_TIMEOUT_MS: '120000' })).toThrow('LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS must not be below LEDGER_STATEMENT_TIMEOUT_MS');
  });
});
