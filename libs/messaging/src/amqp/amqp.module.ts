import { Global, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DependencyGate } from '@app/platform';
import { AmqpConnection } from './amqp-connection.js';
import type { AmqpOptions } from './amqp-options.js';

export interface AmqpModuleAsyncOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => AmqpOptions;
}

/**
 * Provides the process's one `AmqpConnection`, connected by the app's start-up gate (amqplib
 * retries with backoff until the broker answers); closes it last, after consumers stopped.
 */
@Global()
@Module({})
export class AmqpModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly connection: AmqpConnection,
    private readonly gate: DependencyGate,
  ) {}

  onModuleInit(): void {
    this.gate.require({
      name: 'broker',
      connect: () => this.connection.start(),
      lastError: () => this.connection.lastError,
    });
  }

  static forRootAsync(options: AmqpModuleAsyncOptions): DynamicModule {
    return {
      module: AmqpModule,
      providers: [
        {
          provide: AmqpConnection,
          inject: options.inject ?? [],
          useFactory: (...args: never[]) => new AmqpConnection(options.useFactory(...args)),
        },
      ],
      exports: [AmqpConnection],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}

/** Readiness: the broker connection is up. */
export function brokerReadiness(connection: AmqpConnection): { name: string; check: () => Promise<void> } {
  return {
    name: 'broker',
    check: async () => {
      if (!connection.isConnected) throw new Error(`RabbitMQ unreachable: ${connection.lastError ?? 'connecting'}`);
    },
  };
}
