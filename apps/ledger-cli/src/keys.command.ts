/**
 * `keys create --role <role> --principal <id> [--label <text>]` and
 * `keys revoke <principalId>`: the same writes as POST and DELETE
 * /v1/admin/api-keys (libs/read-models api-keys.ts), made straight on the
 * ledger's PostgreSQL (DATABASE_URL) as the runtime role, for an operator
 * who holds no admin key yet, or has lost it. A revocation reaches every
 * running instance at once: they listen for it (RevocationAwareKeyCache).
 */
import { InvalidArgumentError } from 'commander';
import pg from 'pg';
import { restrictToLedgerWriter } from '#event-store';
import { MAX_API_KEY_LABEL_LENGTH, PRINCIPAL_ID_PATTERN, generateApiKey, issueApiKey, revokeApiKey, type ApiKeySql, type Role } from '#read-models';
import { CliUsageError } from './cli-event-store.js';

export interface KeysCreateOptions {
  readonly role: Role;
  readonly principal: string;
  readonly label?: string;
}

export interface IssuedKey {
  readonly key: string;
  readonly principalId: string;
  readonly role: Role;
}

export function parsePrincipalOption(text: string): string {
  if (!PRINCIPAL_ID_PATTERN.test(text)) throw new InvalidArgumentError('expected 1 to 100 letters, digits or ._:@- starting with a letter or digit');
  return text;
}

export function parseLabelOption(text: string): string {
  if (text.length === 0 || text.length > MAX_API_KEY_LABEL_LENGTH) throw new InvalidArgumentError(`expected 1 to ${MAX_API_KEY_LABEL_LENGTH} characters`);
  return text;
}

/** Opens one connection as the runtime role, runs `work` with it, and closes it. */
async function withKeyDatabase<T>(databaseUrl: string, work: (sql: ApiKeySql) => Promise<T>): Promise<T> {
  const writer = await restrictToLedgerWriter(databaseUrl);
  const client = new pg.Client({ connectionString: writer.url });
  await client.connect();
  try {
    return await work(async (text, values) => (await client.query(text, [...values])).rows);
  } finally {
    await client.end();
  }
}

/** Issues a new key; the caller prints it (once: the ledger keeps only its hash). */
export async function runKeysCreate(databaseUrl: string, options: KeysCreateOptions): Promise<IssuedKey> {
  const key = generateApiKey(options.role);
  const issued = await withKeyDatabase(databaseUrl, (sql) => issueApiKey(sql, key, options.principal, options.role, options.label ?? null));
  if (!issued) throw new CliUsageError(`principal ${options.principal} already has an active key: revoke it first (keys revoke ${options.principal})`);
  return { key, principalId: options.principal, role: options.role };
}

export async function runKeysRevoke(databaseUrl: string, principalId: string): Promise<void> {
  const revoked = await withKeyDatabase(databaseUrl, (sql) => revokeApiKey(sql, principalId));
  if (!revoked) throw new CliUsageError(`principal ${principalId} has no active key`);
}
