import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../access/principal.js';

/** What a command puts in the metadata of the events it records. */
export interface RequestContext {
  readonly correlationId: string;
  /** Null on @Public() routes only. */
  readonly principal: Principal | null;
  /** The Idempotency-Key this request holds the claim of; null without one. */
  readonly idempotencyKey: string | null;
}

/** `@RequestContext() context: RequestContext` in a controller method. */
export const RequestContext = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const correlationId = request.correlationId;
  if (correlationId === undefined) throw new Error('no correlation id on the request: the edge hooks (HttpEdgeModule) are not registered');
  return { correlationId, principal: request.principal ?? null, idempotencyKey: request.idempotencyClaim?.idempotencyKey ?? null };
});
