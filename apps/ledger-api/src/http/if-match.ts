import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { validationFailed } from './api-error.js';

/** Revisions are PostgreSQL bigints: at most 2^63 - 1, 19 digits. */
const MAX_REVISION = 2n ** 63n - 1n;
/** `5` or the ETag form `"5"`: a single stream revision, nothing else (no `*`, no lists, no weak tags). */
const IF_MATCH = /^(?:([0-9]{1,19})|"([0-9]{1,19})")$/;

/**
 * The expected stream revision of `If-Match: <streamRevision>`, or undefined
 * when the header is absent. Anything else is 400 VALIDATION_FAILED.
 */
export function parseIfMatch(header: string | string[] | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const match = typeof header === 'string' ? IF_MATCH.exec(header.trim()) : null;
  const digits = match?.[1] ?? match?.[2];
  const revision = digits === undefined ? undefined : BigInt(digits);
  if (revision === undefined || revision > MAX_REVISION) {
    throw validationFailed('If-Match must be a stream revision: a non-negative integer, optionally quoted as an ETag ("5")', {
      'If-Match': 'must be a non-negative integer such as 5 or "5"',
    });
  }
  return revision;
}

/** The header in the OpenAPI document of every route that reads it. */
const documentIfMatch = ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The streamRevision you decided on (from a command answer or a read): 409 CONCURRENCY_CONFLICT if the stream has moved on since. Without it a lost race is decided again',
  schema: { type: 'string', pattern: IF_MATCH.source, example: '3' },
});

/** `@IfMatch() expectedRevision: bigint | undefined` in a command controller method. */
export const IfMatch = createParamDecorator(
  (_data: unknown, context: ExecutionContext): bigint | undefined => parseIfMatch(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
  [(target, key) => documentIfMatch(target, key!, Object.getOwnPropertyDescriptor(target, key!)!)],
);
