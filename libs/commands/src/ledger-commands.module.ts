import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '#event-store';
import { ExecuteBuyRequestCommandHandler } from './buy-requests/execute-buy-request-command.js';
import { ExecuteDealCommandHandler } from './deals/execute-deal-command.js';
import { OpenDealCommandHandler } from './deals/open-deal.js';
import { ExecuteListingCommandHandler } from './listings/execute-listing-command.js';
import { QuoteDealQueryHandler } from './quotes/quote-deal.js';
import { LEDGER_CLOCK, LEDGER_DECIDERS, createLedgerDeciders, type Clock, type LedgerPolicySettings } from './ledger-command-settings.js';

export interface LedgerCommandsOptions extends LedgerPolicySettings {
  readonly store: EventStore;
  /** Default: the system clock. */
  readonly clock?: Clock;
}

/** The command side on @nestjs/cqrs: handlers that read a stream, decide and append. */
@Module({})
export class LedgerCommandsModule {
  static register(options: LedgerCommandsOptions): DynamicModule {
    return {
      module: LedgerCommandsModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: EVENT_STORE, useValue: options.store },
        { provide: LEDGER_DECIDERS, useValue: createLedgerDeciders(options) },
        { provide: LEDGER_CLOCK, useValue: options.clock ?? (() => new Date()) },
        ExecuteListingCommandHandler,
        ExecuteDealCommandHandler,
        OpenDealCommandHandler,
        QuoteDealQueryHandler,
        ExecuteBuyRequestCommandHandler,
      ],
      exports: [CqrsModule, LEDGER_DECIDERS, LEDGER_CLOCK],
    };
  }
}
