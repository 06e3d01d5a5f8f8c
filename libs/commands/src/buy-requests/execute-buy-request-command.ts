import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { buyRequestStreamId, refuseBuyRequestNonOwner, type BuyRequestCommand, type PlaceBuyRequest } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import type { CommandOutcome } from '../command-outcome.js';
import { LEDGER_CLOCK, LEDGER_DECIDERS, type Clock, type LedgerDeciders } from '../ledger-command-settings.js';
import type { CommandContext } from '../stream/command-context.js';
import { runStreamCommand } from '../stream/run-stream-command.js';

/** Any command of a buy-request stream; a placement names no placer: it is the command's actor. */
export type BuyRequestCommandInput = Exclude<BuyRequestCommand, PlaceBuyRequest> | Omit<PlaceBuyRequest, 'placedBy'>;

/** Any command of a buy-request stream, from the HTTP edge or a process manager. */
export class ExecuteBuyRequestCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: BuyRequestCommandInput,
    readonly context: CommandContext,
    /** If-Match: the revision the caller read. */
    readonly expectedRevision?: bigint,
    /** The buy-request id was just generated at random: its stream cannot have events yet. */
    readonly freshStream = false,
  ) {
    super();
  }
}

@CommandHandler(ExecuteBuyRequestCommand)
export class ExecuteBuyRequestCommandHandler implements ICommandHandler<ExecuteBuyRequestCommand, CommandOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_DECIDERS) private readonly deciders: LedgerDeciders,
    @Inject(LEDGER_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ command: input, context, expectedRevision, freshStream }: ExecuteBuyRequestCommand): Promise<CommandOutcome> {
    const command: BuyRequestCommand = input.type === 'PlaceBuyRequest' ? { ...input, placedBy: context.actorId } : input;
    const result = await runStreamCommand({
      store: this.store,
      streamId: buyRequestStreamId(command.buyRequestId),
      decider: this.deciders.buyRequest,
      command,
      context,
      now: this.clock,
      expectedRevision,
      freshStream,
      // Amend, cancel: the placer's or an admin's. Fills, releases, reductions and expiries: anyone's.
      authorize: (state) => refuseBuyRequestNonOwner(state, command, context),
    });
    return { id: command.buyRequestId, streamRevision: result.streamRevision, position: result.position };
  }
}
