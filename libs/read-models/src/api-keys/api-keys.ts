/**
 * API keys as the api_keys table holds them (its migration is in this
 * library): what a key looks like, how it is hashed, and the two writes that
 * issue and revoke one. The API's key store (apps/ledger-api access/) and the
 * operator CLI (`keys create|revoke`) both use these, so a key made by
 * either is the same kind of key, and a revocation by either reaches every
 * running instance (the NOTIFY below, on which each one listens).
 */
import { createHash, randomBytes } from 'node:crypto';

/** The roles of shared/API.md (Access); the api_keys table checks the same list. */
export const ROLES = ['broker', 'compliance', 'dashboard', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The principal the start-up installs LEDGER_ADMIN_KEY for. */
export const BOOTSTRAP_ADMIN_PRINCIPAL_ID = 'admin';

/** Principal ids name people and systems in events too: short, and safe in logs and URLs. */
export const PRINCIPAL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$/;

/** Same bound as the api_keys.label CHECK. */
export const MAX_API_KEY_LABEL_LENGTH = 200;

/**
 * 24 random bytes, 192 bits: beyond any guessing, which is why a fast SHA-256
 * (not a slow password hash) is the right way to store them; see the
 * api_keys migration.
 */
const KEY_RANDOM_BYTES = 24;
/**
 * The longest key accepted in an Authorization header. Issued keys are about
 * 45 characters; LEDGER_ADMIN_KEY is the operator's choice, within this bound.
 */
export const MAX_API_KEY_LENGTH = 200;
/** Visible ASCII, as a bearer token may hold, and nothing that needs escaping in a header. */
const API_KEY_PATTERN = new RegExp(`^[\\x21-\\x7E]{1,${MAX_API_KEY_LENGTH}}$`);

/** Every instance LISTENs here and evicts the principal named in the payload from its key cache. */
export const REVOCATION_CHANNEL = 'ledger_api_key_revoked';

/** A new key, `lk_<role>_<base64url of 24 random bytes>`: the role in it helps a human tell keys apart, it grants nothing. */
export function generateApiKey(role: Role): string {
  return `lk_${role}_${randomBytes(KEY_RANDOM_BYTES).toString('base64url')}`;
}

/**
 * What is stored and looked up: sha256 hex of the key.
 *
 * Keys are never compared, only their digests, so no comparison can give a
 * key away through its timing, and none needs crypto.timingSafeEqual. A
 * request's key is hashed first; the digest is then found by the api_keys
 * index (`WHERE key_hash = $1`) and by the API's cache, neither of which
 * compares in constant time. Their timing could at most tell an attacker how
 * much of a stored digest matches the digest of a key they sent, and that is
 * worth nothing: the API hashes whatever it is sent, so a digest does not
 * authenticate, and it does not lead back to its key (a SHA-256 preimage of
 * 192 random bits for an issued key; LEDGER_ADMIN_KEY is the operator's, at
 * least 24 characters).
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function isWellFormedApiKey(key: string): boolean {
  return API_KEY_PATTERN.test(key);
}

/**
 * Runs one statement and answers its rows: TypeORM's `dataSource.query`, or
 * a pg pool's `query(...).rows`.
 */
export type ApiKeySql = (text: string, values: readonly unknown[]) => Promise<readonly unknown[]>;

/** Stores the key's hash for the principal; false when the principal already has an active key. */
export async function issueApiKey(sql: ApiKeySql, key: string, principalId: string, role: Role, label: string | null): Promise<boolean> {
  const rows = await sql(
    `INSERT INTO api_keys (principal_id, role, key_hash, label) VALUES ($1, $2, $3, $4)
     ON CONFLICT (principal_id) WHERE revoked_at IS NULL DO NOTHING
     RETURNING id`,
    [principalId, role, hashApiKey(key), label],
  );
  return rows.length === 1;
}

/**
 * Revokes the principal's active key and tells every instance so (NOTIFY,
 * delivered when the transaction commits); false when it has none.
 */
export async function revokeApiKey(sql: ApiKeySql, principalId: string): Promise<boolean> {
  const rows = await sql(
    `WITH revoked AS (
       UPDATE api_keys SET revoked_at = now() WHERE principal_id = $1 AND revoked_at IS NULL RETURNING id
     ) SELECT id, pg_notify('${REVOCATION_CHANNEL}', $1) FROM revoked`,
    [principalId],
  );
  return rows.length > 0;
}
