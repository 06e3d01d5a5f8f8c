import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { parsePosition, type LogPosition } from '#event-store';
import { validationFailed } from './api-error.js';

/**
 * The log position of `X-Min-Position: <commit.prepare>` (a command answer's
 * `position`), or undefined when the header is absent. Anything else is
 * 400 VALIDATION_FAILED.
 */
export function parseMinPosition(header: string | string[] | undefined): LogPosition | undefined {
  if (header === undefined) return undefined;
  const position = typeof header === 'string' ? parsePosition(header.trim()) : null;
  if (position === null) {
    throw validationFailed('X-Min-Position must be a log position from a command answer, such as 1234.5678', {
      'X-Min-Position': 'must be <commit>.<prepare>, two non-negative integers',
    });
  }
  return position;
}

/** The header in the OpenAPI document of every route that reads it. */
const documentMinPosition = ApiHeader({
  name: 'X-Min-Position',
  required: false,
  description: "Read your writes: a command answer's position. The answer waits (bounded) until the read models have passed it, else 503 READ_MODEL_BEHIND",
  schema: { type: 'string', pattern: '^[0-9]+\\.[0-9]+$', example: '1234.1234' },
});

/** `@MinPosition() minPosition: LogPosition | undefined` in a query controller method: read-your-writes. */
export const MinPosition = createParamDecorator(
  (_data: unknown, context: ExecutionContext): LogPosition | undefined => parseMinPosition(context.switchToHttp().getRequest<FastifyRequest>().headers['x-min-position']),
  [(target, key) => documentMinPosition(target, key!, Object.getOwnPropertyDescriptor(target, key!)!)],
);
