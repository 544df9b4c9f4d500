import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { ReadinessCheck } from '@app/platform';
import type { RpcClient } from '@app/messaging';
import {
  AmqpConnection,
  AmqpModule,
  AmqpRpcClient,
  amqpOptionsFrom,
  brokerReadiness,
  prefixed,
} from '@app/messaging/amqp';
import type { GatewayEnv } from '../gateway.env.js';

export const USERS_CLIENT = Symbol('USERS_CLIENT');
export const ORDERS_CLIENT = Symbol('ORDERS_CLIENT');
/** `(queue, timeoutMs) => RpcClient`: how the gateway reaches a service's RPC queue. */
export const RPC_CLIENT_FACTORY = Symbol('RPC_CLIENT_FACTORY');
export const TRANSPORT_READINESS = Symbol('TRANSPORT_READINESS');

export type RpcClientFactory = (queue: string, timeoutMs: number) => Promise<RpcClient>;

/**
 * How the gateway reaches the services: a global module providing `RPC_CLIENT_FACTORY` and the
 * readiness checks of what it depends on (`TRANSPORT_READINESS`). The controllers, the deadline
 * and the circuit breaker are the same whichever it is.
 */
export type GatewayTransport = DynamicModule;

/** The microservices shape: RPC over RabbitMQ, ready when the broker connection is. */
export function amqpGatewayTransport(): GatewayTransport {
  class AmqpGatewayTransport {}
  return {
    module: AmqpGatewayTransport,
    global: true,
    imports: [
      AmqpModule.forRootAsync({
        inject: [ConfigService],
        useFactory: (config: ConfigService<GatewayEnv, true>) => amqpOptionsFrom(config, 'gateway'),
      }),
    ],
    providers: [
      {
        provide: RPC_CLIENT_FACTORY,
        inject: [AmqpConnection],
        useFactory:
          (amqp: AmqpConnection): RpcClientFactory =>
          async (queue, timeoutMs) => {
            const client = new AmqpRpcClient(amqp, prefixed(amqp.options, queue), timeoutMs);
            await client.init();
            return client;
          },
      },
      {
        provide: TRANSPORT_READINESS,
        inject: [AmqpConnection],
        useFactory: (amqp: AmqpConnection): ReadinessCheck[] => [brokerReadiness(amqp)],
      },
    ],
    exports: [RPC_CLIENT_FACTORY, TRANSPORT_READINESS],
  };
}
