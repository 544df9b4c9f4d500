import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DatabaseOptions } from './database-options.js';
import { openDataSource } from './create-data-source.js';
import { TransactionRunner } from './transaction-runner.js';
import { scrapeSources } from '../metrics/app-metrics.js';

export interface DatabaseModuleAsyncOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => DatabaseOptions | Promise<DatabaseOptions>;
}

/** Provides the service's `DataSource` (connected and migrated before anything uses it) and its unit of work. */
@Global()
@Module({})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRootAsync(options: DatabaseModuleAsyncOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => openDataSource(await options.useFactory(...args)),
        },
        { provide: TransactionRunner, inject: [DataSource], useFactory: (ds: DataSource) => new TransactionRunner(ds) },
      ],
      exports: [DataSource, TransactionRunner],
    };
  }

  onModuleInit(): void {
    const pool = (
      this.dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number } }
    ).master;
    if (pool) {
      scrapeSources.pool.set(String(this.dataSource.options.database), () => ({
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
      }));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
