import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { listingStreamId, refuseListingNonOwner, type ListingCommand, type SubmitListing } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import type { CommandOutcome } from '../command-outcome.js';
import { LEDGER_CLOCK, LEDGER_DECIDERS, type Clock, type LedgerDeciders } from '../ledger-command-settings.js';
import type { CommandContext } from '../stream/command-context.js';
import { runStreamCommand } from '../stream/run-stream-command.js';

/** Any command of a listing stream; a submission names no submitter: it is the command's actor. */
export type ListingCommandInput = Exclude<ListingCommand, SubmitListing> | Omit<SubmitListing, 'submittedBy'>;

/** Any command of a listing stream, from the HTTP edge or a process manager. */
export class ExecuteListingCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: ListingCommandInput,
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

  async execute({ command: input, context, expectedRevision, freshStream }: ExecuteListingCommand): Promise<CommandOutcome> {
    const command: ListingCommand = input.type === 'SubmitListing' ? { ...input, submittedBy: context.actorId } : input;
    const result = await runStreamCommand({
      store: this.store,
      streamId: listingStreamId(command.listingId),
      decider: this.deciders.listing,
      command,
      context,
      now: this.clock,
      expectedRevision,
      freshStream,
      // Verify, reprice, withdraw: the submitter's or an admin's. Reservations, releases, sales and expiries: anyone's.
      authorize: (state) => refuseListingNonOwner(state, command, context),
    });
    return { id: command.listingId, streamRevision: result.streamRevision, position: result.position };
  }
}
