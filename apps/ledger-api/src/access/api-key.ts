import { createHash, randomBytes } from 'node:crypto';
import type { Role } from './principal.js';

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
const BEARER = /^Bearer +(\S+) *$/i;

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
 * index (`WHERE key_hash = $1`) and by the cache's Map, neither of which
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

/** The key of an `Authorization: Bearer <key>` header, or null when there is none or it cannot be a key. */
export function bearerKey(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = BEARER.exec(header);
  const key = match?.[1];
  return key !== undefined && isWellFormedApiKey(key) ? key : null;
}
