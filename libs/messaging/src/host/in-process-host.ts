import type { DynamicModule, INestMicroservice } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { RpcQueues } from '@app/contracts';
import { DependencyGate, type ServiceEnv } from '@app/platform';
import { contextInfrastructure, type HostInfrastructure, type ServiceHost } from './service-host.js';
import type { InProcessBroker } from '../in-process/in-process-broker.js';
import { InProcessEventTransport, relayConcurrencyFor } from '../in-process/in-process-events.js';
import { InProcessRpcServer } from '../in-process/in-process-rpc.server.js';

/** A context's infrastructure in the modular monolith: its own database, events through the in-process broker. */
export function inProcessInfrastructure(broker: InProcessBroker, process: string): HostInfrastructure {
  return (host) =>
    contextInfrastructure(
      host,
      {
        broker: false,
        imports: [],
        inject: [ConfigService],
        useFactory: (config: ConfigService<ServiceEnv, true>) =>
          new InProcessEventTransport(broker, relayConcurrencyFor(config.get('DB_POOL_SIZE', { infer: true }))),
      },
      process,
    );
}

/**
 * Builds a context for the monolith's process: a Nest container of its own (its own database,
 * outbox relay, consumer and CQRS buses, exactly as in its service) whose `@MessagePattern`
 * handlers will serve its RPC queue on the in-process broker. Nothing connects yet: `app.listen()`
 * initialises it (handlers, event subscriptions), opens its start-up gate (database connected
 * and migrated, retried until it answers; relay and consumer started), then serves the queue.
 * Closing it drains like a service: RPC first, then consumer and relay, then the database.
 */
export async function createInProcessContext(
  module: DynamicModule,
  host: Pick<ServiceHost, 'service'>,
  broker: InProcessBroker,
): Promise<INestMicroservice> {
  const server = new InProcessRpcServer(broker, RpcQueues[host.service]);
  const app = await NestFactory.createMicroservice(module, { strategy: server, bufferLogs: true });
  app.useLogger(app.get(Logger));
  server.limitConcurrency(app.get(ConfigService<ServiceEnv, true>).get('RPC_PREFETCH', { infer: true }));
  // listen() initialises first, then calls the server's listen, which opens the gate. Not
  // init() before listen(): Nest 12's microservice would run the hooks twice.
  server.serveAfter(() => app.get(DependencyGate).open());
  return app;
}
