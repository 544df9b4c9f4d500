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
import { UsersModule, usersEntities, usersMigrations } from '@app/users';
import { AdminBootstrap } from './admin-bootstrap.js';
import { UsersEnv } from './users.env.js';

/** Composition root of the users service: the users context on Postgres and RabbitMQ. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnv(UsersEnv) }),
    MetricsModule.forRoot('users'),
    TracingModule.forRoot('users'),
    loggingModule('users'),
    DatabaseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<UsersEnv, true>) =>
        databaseOptionsFrom(config, config.get('USERS_DB_NAME', { infer: true }), {
          entities: usersEntities,
          migrations: usersMigrations,
        }),
    }),
    AmqpModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<UsersEnv, true>) => amqpOptionsFrom(config, 'users'),
    }),
    EventsModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<UsersEnv, true>) => eventsOptionsFrom(config, 'users.events'),
    }),
    UsersModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<UsersEnv, true>) => ({
        creditLimitDefaultCents: config.get('CREDIT_LIMIT_DEFAULT_CENTS', { infer: true }),
        refreshTokenTtlMs: config.get('REFRESH_TOKEN_TTL_DAYS', { infer: true }) * 86_400_000,
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
  providers: [AdminBootstrap],
})
export class UsersAppModule {}
