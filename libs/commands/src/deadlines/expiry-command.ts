/**
 * The command message that enforces one due deadline, sent through the
 * CommandBus to the stream's own handler (read, decide, append).
 *
 * Exactly once, whoever sends it and however often:
 * - its causation id, and so the ids of the facts it records, derive from
 *   the deadline's expiry key (stream, kind, instant): two enforcers, or one
 *   after a restart, decide the same facts under the same ids, and the store
 *   keeps the first append and answers the others with it;
 * - the append carries the revision the handler read: an expiry decided on
 *   a stream that moved meanwhile (an approval just in time) is decided
 *   again on the new state, which may refuse it (DEAL_DEADLINE_NOT_REACHED);
 * - the deciders record nothing for a stream already expired, and refuse a
 *   closed one (DEAL_CLOSED, LISTING_CLOSED).
 */
import type { Command } from '@nestjs/cqrs';
import { expiryCommandOf, type DeadlineKind } from '#domain';
import { ExecuteBuyRequestCommand } from '../buy-requests/execute-buy-request-command.js';
import type { CommandOutcome } from '../command-outcome.js';
import { ExecuteDealCommand } from '../deals/execute-deal-command.js';
import { ExecuteListingCommand } from '../listings/execute-listing-command.js';
import type { CommandContext } from '../stream/command-context.js';
import { derivedId } from '../stream/derived-id.js';

/** The actor of every expiry fact, and the namespace of their causation ids. */
export const DEADLINE_ENFORCER = 'deadline-enforcer';

/** A deadline as the deadlines read model holds it (libs/read-models deadlines). */
export interface DueDeadline {
  readonly streamId: string;
  readonly kind: DeadlineKind;
  /** The instant the facts name; a listing's falls due the expiry margin earlier. */
  readonly deadlineAt: Date;
  /** What the expiry facts' ids derive from: stream, kind and instant. */
  readonly expiryKey: string;
}

export type ExpiryCommandMessage = ExecuteListingCommand | ExecuteDealCommand | ExecuteBuyRequestCommand;

export function expiryContext(deadline: Pick<DueDeadline, 'expiryKey'>): CommandContext {
  const causationId = derivedId(DEADLINE_ENFORCER, deadline.expiryKey);
  return { actorId: DEADLINE_ENFORCER, actorRole: 'system', correlationId: causationId, causationId };
}

export function expiryCommandMessage(deadline: DueDeadline): ExpiryCommandMessage & Command<CommandOutcome> {
  const command = expiryCommandOf(deadline.kind, deadline.streamId);
  const context = expiryContext(deadline);
  switch (command.type) {
    case 'ExpireListing':
      return new ExecuteListingCommand(command, context);
    case 'ExpireDeal':
      return new ExecuteDealCommand(command, context);
    case 'ExpireBuyRequest':
      return new ExecuteBuyRequestCommand(command, context);
  }
}
