import { Module, type DynamicModule } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '#event-store';
import { AuditController } from './audit.controller.js';

/** The compliance routes (issue 4, item 5): compliance and admin only, straight from the event store. */
@Module({})
export class AuditModule {
  static register(options: { readonly store: EventStore }): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController],
      providers: [{ provide: EVENT_STORE, useValue: options.store }],
    };
  }
}
