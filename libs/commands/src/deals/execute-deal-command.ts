import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { dealNotFound, dealStreamId, listingStreamId, type AmendDealTerms, type DealCommand, type DealState, type OpenDeal } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import type { CommandOutcome } from '../command-outcome.js';
import { LEDGER_CLOCK, LEDGER_DECIDERS, type Clock, type LedgerDeciders } from '../ledger-command-settings.js';
import type { CommandContext } from '../stream/command-context.js';
import { foldStream, runStreamCommand } from '../stream/run-stream-command.js';
import { dealVisibleTo } from './deal-access.js';

/**
 * A command on an existing deal. Opening goes through OpenDealCommand (it
 * reserves on the listing first); a terms amendment is completed here with
 * the reservation it must stay within.
 */
export type DealCommandInput = Exclude<DealCommand, OpenDeal | AmendDealTerms> | Omit<AmendDealTerms, 'reservedFaceValueCents'>;

export class ExecuteDealCommand extends Command<CommandOutcome> {
  constructor(
    readonly command: DealCommandInput,
    readonly context: CommandContext,
    readonly expectedRevision?: bigint,
  ) {
    super();
  }
}

@CommandHandler(ExecuteDealCommand)
export class ExecuteDealCommandHandler implements ICommandHandler<ExecuteDealCommand, CommandOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_DECIDERS) private readonly deciders: LedgerDeciders,
    @Inject(LEDGER_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ command, context, expectedRevision }: ExecuteDealCommand): Promise<CommandOutcome> {
    const visible = dealVisibleTo(context);
    const complete = command.type === 'AmendDealTerms' ? await this.withReservation(command, visible) : command;
    const result = await runStreamCommand({
      store: this.store,
      streamId: dealStreamId(command.dealId),
      decider: this.deciders.deal,
      command: complete,
      context,
      now: this.clock,
      expectedRevision,
      visible,
    });
    return { id: command.dealId, streamRevision: result.streamRevision, position: result.position };
  }

  /** The face value reserved for this deal on its listing: an amendment may not take more. */
  private async withReservation(command: Omit<AmendDealTerms, 'reservedFaceValueCents'>, visible: (state: DealState) => boolean): Promise<AmendDealTerms> {
    const deal = await foldStream(this.store, dealStreamId(command.dealId), this.deciders.deal);
    // Another broker's deal is refused as a missing one is, before its listing is read.
    if (deal.state.status === 'none' || !visible(deal.state)) throw dealNotFound(command.dealId);
    const listing = await foldStream(this.store, listingStreamId(deal.state.listingId), this.deciders.listing);
    const reservation = listing.state.status === 'none' ? undefined : listing.state.reservations.get(command.dealId);
    return { ...command, reservedFaceValueCents: reservation?.faceValueCents ?? 0n };
  }
}
