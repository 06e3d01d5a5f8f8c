/**
 * What the edge learns about a request and keeps on Fastify's request
 * object for the rest of its life: the correlation id (onRequest hook), the
 * principal (AccessGuard) and the idempotency claim to settle when the answer
 * is sent (IdempotencyInterceptor, then the onSend hook).
 */
import type { Principal } from '../access/principal.js';
import type { IdempotencyScope } from './idempotency/idempotency.store.js';

declare module 'fastify' {
  interface FastifyRequest {
    correlationId?: string;
    principal?: Principal;
    idempotencyClaim?: IdempotencyScope;
  }
}
