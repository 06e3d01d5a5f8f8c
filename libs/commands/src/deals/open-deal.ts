import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, dealStreamId, listingStreamId, type Cents } from '#domain';
import { EVENT_STORE, type EventStore } from '#event-store';
import { refuseDealMisfit } from '../buy-requests/deal-fit.js';
import type { CommandOutcome } from '../command-outcome.js';
import { LEDGER_CLOCK, LEDGER_DECIDERS, type Clock, type LedgerDeciders } from '../ledger-command-settings.js';
import type { CommandContext } from '../stream/command-context.js';
import { foldStream, runStreamCommand } from '../stream/run-stream-command.js';
import { dealVisibleTo } from './deal-access.js';
import { openReservedDeal } from './open-reserved-deal.js';

/**
 * Concurrent matches of one listing queue in this process and race across
 * processes; each loss re-reads the listing and decides again, and every
 * loss means another reservation went through. 50 bounds the wait when
 * dozens of brokers match the same listing at once.
 */
const MAX_RESERVATION_ATTEMPTS = 50;

export interface OpenDealRequestData {
  readonly dealId: string;
  readonly listingId: string;
  readonly buyerId: string;
  readonly brokerId: string;
  readonly faceValueCents: Cents;
  readonly priceCents: Cents;
  readonly commissionBps: number;
  readonly buyRequestId: string | null;
  /** The deal id was just generated at random: the deal stream cannot have events yet. */
  readonly freshDealId: boolean;
}

/**
 * POST /v1/deals: reserve on the listing (the lock against over-selling), then open the deal.
 * Named a buy request, the deal must fit it first (deal-fit.ts); the reservation carries the
 * request, and the reservation process manager records the fill once the deal is open.
 */
export class OpenDealCommand extends Command<CommandOutcome> {
  constructor(
    readonly request: OpenDealRequestData,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(OpenDealCommand)
export class OpenDealCommandHandler implements ICommandHandler<OpenDealCommand, CommandOutcome> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_DECIDERS) private readonly deciders: LedgerDeciders,
    @Inject(LEDGER_CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ request, context }: OpenDealCommand): Promise<CommandOutcome> {
    if (!request.freshDealId) await this.refuseAnotherBrokersDeal(request.dealId, context);
    if (request.buyRequestId !== null) {
      await refuseDealMisfit({ store: this.store, deciders: this.deciders }, { ...request, buyRequestId: request.buyRequestId }, this.clock());
    }
    const match = { buyerId: request.buyerId, brokerId: request.brokerId, commissionBps: request.commissionBps, buyRequestId: request.buyRequestId };
    const reserved = await runStreamCommand({
      store: this.store,
      streamId: listingStreamId(request.listingId),
      decider: this.deciders.listing,
      command: {
        type: 'ReserveListing',
        listingId: request.listingId,
        dealId: request.dealId,
        faceValueCents: request.faceValueCents,
        priceCents: request.priceCents,
        match,
      },
      context,
      now: this.clock,
      maxAttempts: MAX_RESERVATION_ATTEMPTS,
    });
    const reservation = { listingId: request.listingId, dealId: request.dealId, faceValueCents: request.faceValueCents, priceCents: request.priceCents, match };
    return openReservedDeal({ store: this.store, deciders: this.deciders, clock: this.clock }, reserved.state, reservation, context, request.freshDealId);
  }

  /**
   * A deal id the client chose that names another broker's deal is taken,
   * and refused as the decider refuses any taken id, before anything is
   * reserved: otherwise a repeated opening would answer with that deal's
   * revision, or a reservation refusal with its amounts. The broker's own
   * deal goes on (a retried opening answers with it).
   */
  private async refuseAnotherBrokersDeal(dealId: string, context: CommandContext): Promise<void> {
    if (context.actorRole !== 'broker') return;
    const deal = await foldStream(this.store, dealStreamId(dealId), this.deciders.deal);
    if (!dealVisibleTo(context)(deal.state)) throw new DomainError('DEAL_ALREADY_EXISTS', `deal ${dealId} already exists`, { dealId });
  }
}
