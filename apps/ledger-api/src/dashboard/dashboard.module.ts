import { Module, type DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DashboardQueriesModule } from '#read-models';
import { DashboardController } from './dashboard.controller.js';

/** The dashboard route (issue 4, item 2) over the read models' QueryBus handler. */
@Module({})
export class DashboardModule {
  static register(options: { readonly dataSource: DataSource; readonly readYourWritesTimeoutMs?: number }): DynamicModule {
    return {
      module: DashboardModule,
      imports: [
        DashboardQueriesModule.register({
          dataSource: options.dataSource,
          readYourWrites: options.readYourWritesTimeoutMs === undefined ? {} : { timeoutMs: options.readYourWritesTimeoutMs },
        }),
      ],
      controllers: [DashboardController],
    };
  }
}
