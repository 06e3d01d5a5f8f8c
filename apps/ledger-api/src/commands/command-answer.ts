import { randomUUID } from 'node:crypto';
import { derivedId, type CommandContext, type CommandOutcome } from '#commands';
import { formatPosition } from '#event-store';
import { forbidden } from '../http/api-error.js';
import type { RequestContext } from '../http/request-context.js';

/** The answer of every command route (shared/API.md): `{ id, streamRevision, position }`. */
export interface CommandAnswer {
  readonly id: string;
  /** Pass it back as If-Match. */
  readonly streamRevision: number | null;
  /** Pass it as X-Min-Position to read your own write; null when nothing new was recorded. */
  readonly position: string | null;
}

export function commandAnswer(outcome: CommandOutcome): CommandAnswer {
  return {
    id: outcome.id,
    // Revisions count a stream's events: far below 2^53.
    streamRevision: outcome.streamRevision === null ? null : Number(outcome.streamRevision),
    position: outcome.position === null ? null : formatPosition(outcome.position),
  };
}

/**
 * Who is acting, for the metadata of every event the command records. Each
 * request is its own command message (its causation id); sent with an
 * Idempotency-Key, the id derives from the key, so a request run again after
 * a crash (a taken-over claim) records nothing twice.
 */
export function commandContext(request: RequestContext): CommandContext {
  if (request.principal === null) throw forbidden('commands need an authenticated principal');
  return {
    actorId: request.principal.principalId,
    actorRole: request.principal.role,
    correlationId: request.correlationId,
    causationId: requestScopedId(request, 'command'),
  };
}

/**
 * The id of an entity a request creates: the client's if it sent one, else
 * derived from its Idempotency-Key, else new. `fresh`: made up at random just
 * now, so its stream cannot exist yet and need not be read.
 */
export function newEntityId(request: RequestContext, kind: 'listing' | 'deal' | 'buy-request', clientId: string | undefined): { id: string; fresh: boolean } {
  if (clientId !== undefined) return { id: clientId, fresh: false };
  return { id: requestScopedId(request, kind), fresh: request.idempotencyKey === null };
}

function requestScopedId(request: RequestContext, purpose: string): string {
  if (request.idempotencyKey === null || request.principal === null) return randomUUID();
  return derivedId(`${request.principal.principalId}\u0000${request.idempotencyKey}`, purpose);
}
