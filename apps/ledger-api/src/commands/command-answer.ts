import { randomUUID } from 'node:crypto';
import type { CommandContext, CommandOutcome } from '#commands';
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

/** Who is acting, for the metadata of every event the command records. Each request is its own first cause. */
export function commandContext(request: RequestContext): CommandContext {
  if (request.principal === null) throw forbidden('commands need an authenticated principal');
  return {
    actorId: request.principal.principalId,
    actorRole: request.principal.role,
    correlationId: request.correlationId,
    causationId: randomUUID(),
  };
}
