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
import { buildDataSource, connectDataSource } from './create-data-source.js';
import { TransactionRunner } from './transaction-runner.js';
import { scrapeSources } from '../metrics/app-metrics.js';
import { DependencyGate } from '../start/dependency-gate.js';

export interface DatabaseModuleAsyncOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => DatabaseOptions | Promise<DatabaseOptions>;
}

const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/**
 * Provides the service's `DataSource` and its unit of work. The data source is built here but
 * connected (database created, migrations applied) by the app's start-up gate, retried until
 * the server answers: the app serves /health meanwhile instead of exiting.
 */
@Global()
@Module({})
export class DatabaseModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(DATABASE_OPTIONS) private readonly options: DatabaseOptions,
    private readonly gate: DependencyGate,
  ) {}

  static forRootAsync(options: DatabaseModuleAsyncOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DATABASE_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: DataSource, inject: [DATABASE_OPTIONS], useFactory: buildDataSource },
        { provide: TransactionRunner, inject: [DataSource], useFactory: (ds: DataSource) => new TransactionRunner(ds) },
      ],
      exports: [DataSource, TransactionRunner],
    };
  }

  onModuleInit(): void {
    this.gate.require({
      name: 'database',
      connect: async () => {
        await connectDataSource(this.dataSource, this.options);
        this.scrapePool();
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private scrapePool(): void {
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
}
