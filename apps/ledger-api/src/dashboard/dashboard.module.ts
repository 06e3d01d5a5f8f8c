import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { LEDGER_CLOCK, type Clock } from '#commands';
import { DashboardQueriesModule } from '#read-models';
import { DashboardController } from './dashboard.controller.js';
import { DashboardPageController } from './page/dashboard-page.controller.js';

/** The dashboard routes (issue 4, item 2; timings: issue 5, item 4) over the read models' QueryBus handlers, and the /dashboard page (issue 9, item 5). */
@Module({})
export class DashboardModule {
  static register(options: { readonly dataSource: DataSource; readonly clock: Clock; readonly readYourWritesTimeoutMs?: number }): DynamicModule {
    return {
      module: DashboardModule,
      imports: [
        DashboardQueriesModule.register({
          dataSource: options.dataSource,
          readYourWrites: options.readYourWritesTimeoutMs === undefined ? {} : { timeoutMs: options.readYourWritesTimeoutMs },
        }),
      ],
      controllers: [DashboardController, DashboardPageController],
      // The clock the deciders read (LedgerCommandsModule's), given to this module too: its export does not reach a sibling module.
      providers: [{ provide: LEDGER_CLOCK, useValue: options.clock }],
    };
  }
}
