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
  /** Null: start the embedded PostgreSQL (the zero-setup default). */
  readonly databaseUrl: string | null;
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
/** Defaults from shared/API.md (Configuration). */
const DEFAULTS = {
  port: 3000,
  approvalWindowMs: 48 * HOUR_MS,
  expiryMarginMs: 72 * HOUR_MS,
  deadlinePollMs: 1_000,
  rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
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

  const adminKey = text('LEDGER_ADMIN_KEY');
  if (adminKey !== null && adminKey.length < MIN_ADMIN_KEY_LENGTH) {
    problems.push(`LEDGER_ADMIN_KEY must be at least ${MIN_ADMIN_KEY_LENGTH} characters`);
  }

  const config: LedgerConfig = {
    port: integer('PORT', DEFAULTS.port, 0, 65_535),
    host: text('HOST') ?? '127.0.0.1',
    databaseUrl,
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
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return config;
}
