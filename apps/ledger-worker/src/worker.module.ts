import { Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#event-store';
import { LedgerCommandsModule, type Clock, type LedgerPolicySettings } from '#commands';

export interface WorkerModuleOptions {
  readonly store: EventStore;
  readonly dataSource: DataSource;
  /** LEDGER_EXPIRY_MARGIN_MS and LEDGER_APPROVAL_WINDOW_MS, for the command handlers the deadline enforcer sends to. */
  readonly policies: LedgerPolicySettings;
  /** The clock decisions read; default the system clock. */
  readonly clock?: Clock;
}

/**
 * The worker's container. Its background work (the reservation process
 * manager and the projections on durable subscriptions, the deadline
 * enforcer on a poll) is started in main.ts; the enforcer sends its expiry
 * commands through this container's CommandBus.
 */
@Module({})
export class WorkerModule {
  static register(options: WorkerModuleOptions): DynamicModule {
    return {
      module: WorkerModule,
      imports: [LedgerCommandsModule.register({ store: options.store, ...options.policies, clock: options.clock })],
      providers: [
        { provide: EVENT_STORE, useValue: options.store },
        { provide: DataSource, useValue: options.dataSource },
      ],
    };
  }
}
