import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { JOURNAL_QUERY_HANDLERS } from '#read-models';
import { LedgerController } from './ledger.controller.js';

/** The books' routes (issue 4, items 2 to 4): queries of the journal projection through the QueryBus. */
@Module({})
export class LedgerModule {
  static register(options: { readonly dataSource: DataSource }): DynamicModule {
    return {
      module: LedgerModule,
      imports: [CqrsModule.forRoot()],
      controllers: [LedgerController],
      providers: [{ provide: DataSource, useValue: options.dataSource }, ...JOURNAL_QUERY_HANDLERS],
    };
  }
}
