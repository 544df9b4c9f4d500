import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { RPC_DEFINITIONS, RpcQueues } from '@app/contracts';
import {
  DatabaseModule,
  DependencyGate,
  HealthModule,
  LiveConfig,
  LiveConfigModule,
  StartupModule,
  MetricsModule,
  TracingModule,
  createHttpApp,
  databaseOptionsFrom,
  databaseReadiness,
  liveConfigReadiness,
  loggingModule,
  runApp,
  validateEnv,
  type DatabaseOptions,
  type ServiceEnv,
} from '@app/platform';
import { AmqpConnection } from '../amqp/amqp-connection.js';
import { ActorVerifierModule } from '../auth/actor-verifier.module.js';
import { prefixed, amqpOptionsFrom } from '../amqp/amqp-options.js';
import { AmqpModule, brokerReadiness } from '../amqp/amqp.module.js';
import { AmqpEventTransport } from '../amqp/amqp-event-transport.js';
import type { EventTransport } from '../events/event-transport.js';
import { EventsModule, eventsOptionsFrom } from '../events/events.module.js';
import { OutboxRelay, outboxReadiness } from '../outbox/outbox-relay.js';
import { AmqpRpcServer } from '../amqp/amqp-rpc.server.js';
import { GrpcRpcServer } from '../grpc/grpc-rpc.server.js';

export interface ServiceHost {
  /** `users`, `orders` or `payments`: names its logs, metrics, traces, queues and broker connection. */
  service: keyof typeof RpcQueues;
  /** The service's validated environment. */
  env: new () => ServiceEnv;
  /** The variable naming its database (`USERS_DB_NAME`). */
  databaseVariable: string;
  /** The variable naming its HTTP port, which serves /health and /metrics (`USERS_HTTP_PORT`). */
  portVariable: string;
  /** The variable naming its gRPC port, served with RPC_TRANSPORT=grpc (`USERS_GRPC_PORT`). */
  grpcPortVariable: string;
  schema: Pick<DatabaseOptions, 'entities' | 'migrations'>;
}

/** What a context's composition root is built on: `serviceInfrastructure`, or the monolith's in-process one. */
export type HostInfrastructure = (host: ServiceHost) => (DynamicModule | Promise<DynamicModule>)[];

/** How a host's events travel, and what else that needs in its container (the broker connection). */
export interface EventsTransportChoice {
  /** Whether the host connects to RabbitMQ: its credentials are then checked in production. */
  broker: boolean;
  imports: DynamicModule[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject: any[];
  useFactory: (...args: never[]) => EventTransport;
}

type Config = ConfigService<ServiceEnv, true>;

/** A variable whose name the host gives (`USERS_DB_NAME`), already validated by its env class. */
function variable<T>(config: Config, name: string): T {
  return (config as unknown as ConfigService).get<T>(name) as T;
}

/**
 * What every context host needs, whatever its transport: validated config, logs, its own
 * database (migrated), and its events (outbox relay and consumer) on the given transport.
 * `process` names the process in its log lines (pino's root logger is one per process).
 */
export function contextInfrastructure(
  host: ServiceHost,
  transport: EventsTransportChoice,
  process: string = host.service,
): (DynamicModule | Promise<DynamicModule>)[] {
  return [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnv(host.env, { broker: transport.broker }) }),
    LiveConfigModule.forRoot({ app: host.service, schema: host.env, rules: { broker: transport.broker } }),
    loggingModule(process),
    { module: StartupModule },
    DatabaseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) =>
        databaseOptionsFrom(config, variable<string>(config, host.databaseVariable), host.schema),
    }),
    ActorVerifierModule.forRoot(),
    ...transport.imports,
    EventsModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) => eventsOptionsFrom(config, `${host.service}.events`),
      transport: { inject: transport.inject, useFactory: transport.useFactory },
    }),
  ];
}

/**
 * A service of the microservices shape: its context on RabbitMQ, plus what a process of its
 * own serves: metrics, traces, and readiness on the database, the broker and the outbox.
 */
export const serviceInfrastructure: HostInfrastructure = (host) => [
  ...contextInfrastructure(host, {
    broker: true,
    imports: [
      AmqpModule.forRootAsync({
        inject: [ConfigService],
        useFactory: (config: Config) => amqpOptionsFrom(config, host.service),
      }),
    ],
    inject: [AmqpConnection],
    useFactory: (amqp: AmqpConnection) => new AmqpEventTransport(amqp),
  }),
  MetricsModule.forRoot(host.service),
  TracingModule.forRoot(host.service),
  HealthModule.register({
    inject: [DataSource, AmqpConnection, OutboxRelay, LiveConfig],
    useFactory: (dataSource: DataSource, amqp: AmqpConnection, relay: OutboxRelay, live: LiveConfig<ServiceEnv>) => [
      databaseReadiness(dataSource),
      brokerReadiness(amqp),
      outboxReadiness(relay),
      liveConfigReadiness(live),
    ],
  }),
];

/**
 * Starts a service host: HTTP first, so it answers /health/live (and /health/ready: 503, with
 * what it waits for) while its database or broker is still down; then its dependencies
 * (retried until they answer, see DependencyGate), its consumers and relay; its RPC queue (or
 * gRPC port) last.
 */
export function startService(
  module: unknown,
  host: Pick<ServiceHost, 'service' | 'portVariable' | 'grpcPortVariable'>,
): void {
  runApp(async () => {
    const app = await createHttpApp(module);
    const config = app.get<Config>(ConfigService);
    app.connectMicroservice({ strategy: rpcServerOf(app.get(AmqpConnection), config, host) });
    // Handlers (CQRS buses, event subscriptions) register during init: only then take requests,
    // or messages queued while the service was down would find no handler.
    await app.init();
    await app.listen(variable<number>(config, host.portVariable), config.get('HTTP_HOST', { infer: true }));
    await app.get(DependencyGate).open();
    await app.startAllMicroservices();
  });
}

/** The service's RPC server: its queue on RabbitMQ, or its gRPC port (RPC_TRANSPORT). */
function rpcServerOf(
  amqp: AmqpConnection,
  config: Config,
  host: Pick<ServiceHost, 'service' | 'grpcPortVariable'>,
): AmqpRpcServer | GrpcRpcServer {
  if (config.get('RPC_TRANSPORT', { infer: true }) === 'amqp') {
    return new AmqpRpcServer(amqp, prefixed(amqp.options, RpcQueues[host.service]));
  }
  return new GrpcRpcServer({
    service: host.service,
    definitions: RPC_DEFINITIONS,
    host: config.get('GRPC_HOST', { infer: true }) ?? config.get('HTTP_HOST', { infer: true }),
    port: variable<number>(config, host.grpcPortVariable),
    maxConnectionAgeMs: config.get('GRPC_MAX_CONNECTION_AGE_MS', { infer: true }),
  });
}
