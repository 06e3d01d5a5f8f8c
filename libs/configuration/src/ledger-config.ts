/**
 * The service's configuration, read once from the environment at start-up.
 * Every problem is reported at once, so a misconfigured deployment fails
 * with the whole list rather than one variable at a time.
 */
export type EventStoreKind = 'postgres' | 'eventstoredb';

export interface LedgerConfig {
  readonly port: number;
  /** Interface the API listens on; 0.0.0.0 in containers. */
  readonly host: string;
  /** Null: start the embedded PostgreSQL (the zero-setup default). What the running service connects with. */
  readonly databaseUrl: string | null;
  /**
   * The owner's connection, for migrations (LEDGER_MIGRATION_DATABASE_URL);
   * null: DATABASE_URL's. Runtime sessions hold only the runtime role's
   * privileges either way (libs/event-store ledger-writer-role.ts).
   */
  readonly migrationDatabaseUrl: string | null;
  readonly eventStore: EventStoreKind;
  readonly eventStoreConnectionString: string | null;
  /** Null: generated at start-up in the embedded default. */
  readonly adminKey: string | null;
  /** Where the embedded PostgreSQL keeps its data. */
  readonly embeddedDataDir: string;
  /** Port of the embedded PostgreSQL; null picks a free one. */
  readonly embeddedPort: number | null;
  readonly approvalWindowMs: number;
  readonly expiryMarginMs: number;
  readonly deadlinePollMs: number;
  readonly rateLimitPerMinute: number;
  /** statement_timeout of the sessions that answer requests (LEDGER_STATEMENT_TIMEOUT_MS). */
  readonly statementTimeoutMs: number;
  /** statement_timeout of background and operator work: subscriptions, rebuilds, the CLI (LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS). */
  readonly backgroundStatementTimeoutMs: number;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'ConfigurationError';
  }
}

const HOUR_MS = 3_600_000;
/**
 * Requests per minute per API key (LEDGER_RATE_LIMIT_PER_MINUTE): ten a
 * second on average, ample for a broker's tooling, and a cap on one leaked or
 * runaway key.
 */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
/**
 * PostgreSQL's statement_timeout for the sessions that answer requests
 * (LEDGER_STATEMENT_TIMEOUT_MS): a request's statements take milliseconds, so
 * one still running after 5 s is stuck (a lock, a runaway plan) and is
 * cancelled, answering 503, instead of holding a connection and its caller.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
/**
 * statement_timeout of background and operator work
 * (LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS): a projection batch's statements
 * take under a tenth of a second (durable-subscription.ts), a rebuild's the
 * same, a page of an export or a verification less; a minute leaves room for
 * a loaded server and still ends a statement stuck behind a forgotten lock.
 */
export const DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS = 60_000;
/** Defaults from shared/API.md (Configuration). */
const DEFAULTS = {
  port: 3000,
  approvalWindowMs: 48 * HOUR_MS,
  expiryMarginMs: 72 * HOUR_MS,
  deadlinePollMs: 1_000,
  rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
  statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
  backgroundStatementTimeoutMs: DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS,
  embeddedDataDir: '.data/postgres',
  embeddedPort: 54329,
} as const;
/** An admin key is a bearer secret: shorter than this is guessable. */
const MIN_ADMIN_KEY_LENGTH = 24;

export function readLedgerConfig(env: Readonly<Record<string, string | undefined>>): LedgerConfig {
  const problems: string[] = [];
  const text = (name: string): string | null => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? null : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = text(name);
    if (value === null) return fallback;
    if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return Number(value);
  };

  const eventStoreText = text('EVENT_STORE') ?? 'postgres';
  let eventStore: EventStoreKind = 'postgres';
  if (eventStoreText === 'postgres' || eventStoreText === 'eventstoredb') eventStore = eventStoreText;
  else problems.push(`EVENT_STORE must be "postgres" or "eventstoredb", got "${eventStoreText}"`);

  const eventStoreConnectionString = text('EVENTSTORE_CONNECTION_STRING');
  if (eventStore === 'eventstoredb' && eventStoreConnectionString === null) {
    problems.push('EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)');
  }

  const databaseUrl = text('DATABASE_URL');
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// connection string');
  }

  const migrationDatabaseUrl = text('LEDGER_MIGRATION_DATABASE_URL');
  if (migrationDatabaseUrl !== null && !/^postgres(ql)?:\/\//.test(migrationDatabaseUrl)) {
    problems.push('LEDGER_MIGRATION_DATABASE_URL must be a postgres:// or postgresql:// connection string');
  } else if (migrationDatabaseUrl !== null && databaseUrl === null) {
    problems.push('LEDGER_MIGRATION_DATABASE_URL needs DATABASE_URL: the embedded default migrates and runs on its own server');
  }

  const adminKey = text('LEDGER_ADMIN_KEY');
  if (adminKey !== null && adminKey.length < MIN_ADMIN_KEY_LENGTH) {
    problems.push(`LEDGER_ADMIN_KEY must be at least ${MIN_ADMIN_KEY_LENGTH} characters`);
  }

  const config: LedgerConfig = {
    port: integer('PORT', DEFAULTS.port, 0, 65_535),
    host: text('HOST') ?? '127.0.0.1',
    databaseUrl,
    migrationDatabaseUrl,
    eventStore,
    eventStoreConnectionString,
    adminKey,
    embeddedDataDir: text('LEDGER_EMBEDDED_DATA_DIR') ?? DEFAULTS.embeddedDataDir,
    embeddedPort: text('LEDGER_EMBEDDED_PG_PORT') === '0' ? null : integer('LEDGER_EMBEDDED_PG_PORT', DEFAULTS.embeddedPort, 0, 65_535),
    // The deal rules accept at most 30 days (libs/domain deal.policy.ts): refuse more at start, not at the first deal.
    approvalWindowMs: integer('LEDGER_APPROVAL_WINDOW_MS', DEFAULTS.approvalWindowMs, 1, 30 * 24 * HOUR_MS),
    expiryMarginMs: integer('LEDGER_EXPIRY_MARGIN_MS', DEFAULTS.expiryMarginMs, 0, 365 * 24 * HOUR_MS),
    deadlinePollMs: integer('LEDGER_DEADLINE_POLL_MS', DEFAULTS.deadlinePollMs, 10, HOUR_MS),
    rateLimitPerMinute: integer('LEDGER_RATE_LIMIT_PER_MINUTE', DEFAULTS.rateLimitPerMinute, 1, 1_000_000),
    // At least 100 ms: below that ordinary statements of a busy server would be cancelled. At most an hour.
    statementTimeoutMs: integer('LEDGER_STATEMENT_TIMEOUT_MS', DEFAULTS.statementTimeoutMs, 100, HOUR_MS),
    backgroundStatementTimeoutMs: integer('LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS', DEFAULTS.backgroundStatementTimeoutMs, 100, HOUR_MS),
  };
  if (config.backgroundStatementTimeoutMs < config.statementTimeoutMs) {
    problems.push('LEDGER_BACKGROUND_STATEMENT_TIMEOUT_MS must not be below LEDGER_STATEMENT_TIMEOUT_MS: background statements are the longer ones');
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}
