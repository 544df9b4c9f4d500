import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { AmqpConnection } from './amqp-connection.js';
import type { AmqpOptions } from './amqp-options.js';

export interface AmqpModuleAsyncOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => AmqpOptions;
}

/** Provides the process's one `AmqpConnection`; closes it last, after consumers stopped. */
@Global()
@Module({})
export class AmqpModule implements OnApplicationShutdown {
  constructor(private readonly connection: AmqpConnection) {}

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
      if (!connection.isConnected) throw new Error('RabbitMQ connection is down');
    },
  };
}
