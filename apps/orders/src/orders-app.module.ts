import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HostInfrastructure } from '@app/messaging/host';
import { OrdersModule } from '@app/orders';
import { ORDERS_HOST } from './orders.host.js';
import type { OrdersEnv } from './orders.env.js';

/**
 * Composition root of the orders context: the same in both shapes; only the infrastructure
 * given (RabbitMQ service, or the monolith's in-process broker) differs.
 */
@Module({})
export class OrdersAppModule {
  static on(infrastructure: HostInfrastructure): DynamicModule {
    return {
      module: OrdersAppModule,
      imports: [
        ...infrastructure(ORDERS_HOST),
        OrdersModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<OrdersEnv, true>) => ({
            sagaTimeoutMs: config.get('ORDER_SAGA_TIMEOUT_MS', { infer: true }),
            sweepIntervalMs: config.get('ORDER_SWEEP_INTERVAL_MS', { infer: true }),
            idempotencyKeyTtlMs: config.get('IDEMPOTENCY_KEY_TTL_HOURS', { infer: true }) * 3_600_000,
          }),
        }),
      ],
    };
  }
}
