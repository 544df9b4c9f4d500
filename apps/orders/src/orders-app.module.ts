import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import {
  AmqpConnection,
  AmqpModule,
  EventsModule,
  OutboxRelay,
  amqpOptionsFrom,
  brokerReadiness,
  eventsOptionsFrom,
  outboxReadiness,
} from '@app/messaging';
import { OrdersModule, ordersEntities, ordersMigrations } from '@app/orders';
import {
  DatabaseModule,
  HealthModule,
  MetricsModule,
  TracingModule,
  databaseOptionsFrom,
  databaseReadiness,
  loggingModule,
  validateEnv,
} from '@app/platform';
import { OrdersEnv } from './orders.env.js';

type Config = ConfigService<OrdersEnv, true>;

/** Composition root of the orders service: the orders context on Postgres and RabbitMQ. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnv(OrdersEnv) }),
    MetricsModule.forRoot('orders'),
    TracingModule.forRoot('orders'),
    loggingModule('orders'),
    DatabaseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) =>
        databaseOptionsFrom(config, config.get('ORDERS_DB_NAME', { infer: true }), {
          entities: ordersEntities,
          migrations: ordersMigrations,
        }),
    }),
    AmqpModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) => amqpOptionsFrom(config, 'orders'),
    }),
    EventsModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) => eventsOptionsFrom(config, 'orders.events'),
    }),
    OrdersModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) => ({
        sagaTimeoutMs: config.get('ORDER_SAGA_TIMEOUT_MS', { infer: true }),
        sweepIntervalMs: config.get('ORDER_SWEEP_INTERVAL_MS', { infer: true }),
        idempotencyKeyTtlMs: config.get('IDEMPOTENCY_KEY_TTL_HOURS', { infer: true }) * 3_600_000,
      }),
    }),
    HealthModule.register({
      inject: [DataSource, AmqpConnection, OutboxRelay],
      useFactory: (dataSource: DataSource, amqp: AmqpConnection, relay: OutboxRelay) => [
        databaseReadiness(dataSource),
        brokerReadiness(amqp),
        outboxReadiness(relay),
      ],
    }),
  ],
})
export class OrdersAppModule {}
