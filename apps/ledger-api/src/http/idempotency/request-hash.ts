import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export interface CommandRequest {
  readonly method: string;
  /** The path as requested, ids included: the same body to another deal is another command. */
  readonly path: string;
  readonly principalId: string;
  /** The parsed JSON body; undefined when there is none. */
  readonly body: unknown;
}

/**
 * sha256 hex over the canonical JSON (RFC 8785) of the request, so the same
 * command sent with its fields in another order or other whitespace is still
 * the same request.
 */
export function hashCommandRequest(request: CommandRequest): string {
  const text = canonicalize({ method: request.method.toUpperCase(), path: request.path, principalId: request.principalId, body: request.body ?? null });
  if (text === undefined) throw new Error('a parsed JSON body always has a canonical form');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
