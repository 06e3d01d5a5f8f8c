import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { listingStreamId, type ListingCommand } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import type { CommandOutcome } from '../command-outcome.js';
import { LEDGER_CLOCK, LEDGER_DECIDERS, type Clock, type LedgerDeciders } from '../ledger-command-settings.js';
import type { CommandContext } from '../stream/command-context.js';
import { runStreamCommand } from '../stream/run-stream-command.js';

/** Any command of a listing stream, from the HTTP edge or a process manager. */
export class ExecuteListingCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: ListingCommand,
    readonly context: CommandContext,
    /** If-Match: the revision the caller read. */
    readonly expectedRevision?: bigint,
    /** The listing id was just generated at random: its stream cannot have events yet. */
    readonly freshStream = false,
  ) {
    super();
  }
}

@CommandHandler(ExecuteListingCommand)
export class ExecuteListingCommandHandler implements ICommandHandler<ExecuteListingCommand, CommandOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_DECIDERS) private readonly deciders: LedgerDeciders,
    @Inject(LEDGER_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ command, context, expectedRevision, freshStream }: ExecuteListingCommand): Promise<CommandOutcome> {
    const result = await runStreamCommand({
      store: this.store,
      streamId: listingStreamId(command.listingId),
      decider: this.deciders.listing,
      command,
      context,
      now: this.clock,
      expectedRevision,
      freshStream,
    });
    return { id: command.listingId, streamRevision: result.streamRevision, position: result.position };
  }
}
