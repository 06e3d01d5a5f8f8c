import { isWellFormedApiKey } from '#read-models';

/** How a key is made, hashed and bounded is libs/read-models' (api-keys.ts): the CLI issues keys too. */
export { MAX_API_KEY_LENGTH, generateApiKey, hashApiKey, isWellFormedApiKey } from '#read-models';

const BEARER = /^Bearer +(\S+) *$/i;

/** The key of an `Authorization: Bearer <key>` header, or null when there is none or it cannot be a key. */
export function bearerKey(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = BEARER.exec(header);
  const key = match?.[1];
  return key !== undefined && isWellFormedApiKey(key) ? key : null;
}
