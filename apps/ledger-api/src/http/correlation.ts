import { randomUUID } from 'node:crypto';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
/**
 * A caller's id is kept when it is a plain token of at most 100 characters
 * (a UUID, a W3C trace id, a ULID): it goes into event metadata and logs, so
 * nothing that could smuggle text into either is taken.
 */
const SANE_CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** The request's correlation id: the caller's X-Correlation-Id when sane, else a new UUID. */
export function correlationIdFrom(header: string | string[] | undefined): string {
  return typeof header === 'string' && SANE_CORRELATION_ID.test(header) ? header : randomUUID();
}
