import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { RPC_DEFINITIONS, RpcQueues, type RpcService } from '@app/contracts';
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
import { GrpcRpcClient } from '@app/messaging/grpc';
import type { GatewayEnv } from '../gateway.env.js';

export const USERS_CLIENT = Symbol('USERS_CLIENT');
export const ORDERS_CLIENT = Symbol('ORDERS_CLIENT');
export const PAYMENTS_CLIENT = Symbol('PAYMENTS_CLIENT');
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

/**
 * RPC over gRPC: one channel per service, round robin over the addresses of its target's DNS
 * name (USERS_GRPC_TARGET, ORDERS_GRPC_TARGET, PAYMENTS_GRPC_TARGET). No broker, and no readiness check of its own:
 * a channel connects on demand and has nothing to be ready for, and tying the gateway's
 * readiness to the services would take every gateway out of rotation when one service is down,
 * where the API should answer what it can (a service away: 503 from its breaker, the rest
 * served), as it does over RabbitMQ when a service is down but the broker is up.
 */
export function grpcGatewayTransport(): GatewayTransport {
  class GrpcGatewayTransport implements OnApplicationShutdown {
    static readonly clients: GrpcRpcClient[] = [];

    onApplicationShutdown(): void {
      for (const client of GrpcGatewayTransport.clients.splice(0)) client.close();
    }
  }
  const targets: Record<RpcService, keyof GatewayEnv> = {
    users: 'USERS_GRPC_TARGET',
    orders: 'ORDERS_GRPC_TARGET',
    payments: 'PAYMENTS_GRPC_TARGET',
  };
  return {
    module: GrpcGatewayTransport,
    global: true,
    providers: [
      {
        provide: RPC_CLIENT_FACTORY,
        inject: [ConfigService],
        useFactory:
          (config: ConfigService<GatewayEnv, true>): RpcClientFactory =>
          async (queue, timeoutMs) => {
            const service = serviceOfQueue(queue);
            const client = new GrpcRpcClient({
              service,
              definitions: RPC_DEFINITIONS,
              target: config.get(targets[service], { infer: true }) as string,
              defaultTimeoutMs: timeoutMs,
            });
            GrpcGatewayTransport.clients.push(client);
            return client;
          },
      },
      { provide: TRANSPORT_READINESS, useValue: [] satisfies ReadinessCheck[] },
    ],
    exports: [RPC_CLIENT_FACTORY, TRANSPORT_READINESS],
  };
}

function serviceOfQueue(queue: string): RpcService {
  const service = (Object.keys(RpcQueues) as RpcService[]).find((name) => RpcQueues[name] === queue);
  if (!service) throw new Error(`no service answers on RPC queue ${queue}`);
  return service;
}
