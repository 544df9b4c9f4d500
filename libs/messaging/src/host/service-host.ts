import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { RpcQueues } from '@app/contracts';
import {
  DatabaseModule,
  HealthModule,
  MetricsModule,
  TracingModule,
  createHttpApp,
  databaseOptionsFrom,
  databaseReadiness,
  loggingModule,
  runApp,
  validateEnv,
  type DatabaseOptions,
  type ServiceEnv,
} from '@app/platform';
import { AmqpConnection } from '../amqp/amqp-connection.js';
import { prefixed, amqpOptionsFrom } from '../amqp/amqp-options.js';
import { AmqpModule, brokerReadiness } from '../amqp/amqp.module.js';
import { EventsModule, eventsOptionsFrom } from '../events/events.module.js';
import { OutboxRelay, outboxReadiness } from '../outbox/outbox-relay.js';
import { AmqpRpcServer } from '../rpc/amqp-rpc.server.js';

export interface ServiceHost {
  /** `users` or `orders`: names its logs, metrics, traces, queues and broker connection. */
  service: keyof typeof RpcQueues;
  /** The service's validated environment. */
  env: new () => ServiceEnv;
  /** The variable naming its database (`USERS_DB_NAME`). */
  databaseVariable: string;
  /** The variable naming its HTTP port, which serves /health and /metrics (`USERS_HTTP_PORT`). */
  portVariable: string;
  schema: Pick<DatabaseOptions, 'entities' | 'migrations'>;
}

type Config = ConfigService<ServiceEnv, true>;

/** A variable whose name the host gives (`USERS_DB_NAME`), already validated by its env class. */
function variable<T>(config: Config, name: string): T {
  return (config as unknown as ConfigService).get<T>(name) as T;
}

/**
 * What every service host is made of besides its context: validated config, logs, metrics,
 * traces, its own database (migrated), the broker, its events (outbox relay and consumer), and
 * readiness on all of them.
 */
export function serviceInfrastructure(host: ServiceHost): (DynamicModule | Promise<DynamicModule>)[] {
  return [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnv(host.env) }),
    MetricsModule.forRoot(host.service),
    TracingModule.forRoot(host.service),
    loggingModule(host.service),
    DatabaseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) =>
        databaseOptionsFrom(config, variable<string>(config, host.databaseVariable), host.schema),
    }),
    AmqpModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) => amqpOptionsFrom(config, host.service),
    }),
    EventsModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) => eventsOptionsFrom(config, `${host.service}.events`),
    }),
    HealthModule.register({
      inject: [DataSource, AmqpConnection, OutboxRelay],
      useFactory: (dataSource: DataSource, amqp: AmqpConnection, relay: OutboxRelay) => [
        databaseReadiness(dataSource),
        brokerReadiness(amqp),
        outboxReadiness(relay),
      ],
    }),
  ];
}

/** Starts a service host: its RPC queue on the broker, then its HTTP port. */
export function startService(module: unknown, host: Pick<ServiceHost, 'service' | 'portVariable'>): void {
  runApp(async () => {
    const app = await createHttpApp(module);
    const config = app.get<Config>(ConfigService);
    const amqp = app.get(AmqpConnection);
    app.connectMicroservice({ strategy: new AmqpRpcServer(amqp, prefixed(amqp.options, RpcQueues[host.service])) });
    // Handlers (CQRS buses, event subscriptions) register during init: only then take requests,
    // or messages queued while the service was down would find no handler.
    await app.init();
    await app.startAllMicroservices();
    await app.listen(variable<number>(config, host.portVariable), config.get('HTTP_HOST', { infer: true }));
  });
}
