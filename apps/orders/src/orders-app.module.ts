import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { AmqpConnection, AmqpModule, amqpOptionsFrom, brokerReadiness } from '@app/messaging';
import {
  DatabaseModule,
  HealthModule,
  databaseOptionsFrom,
  databaseReadiness,
  loggingModule,
  validateEnv,
} from '@app/platform';
import { OrdersEnv } from './orders.env.js';

/**
 * Composition root of the orders service. Until the orders context lands it owns its
 * database and broker connection and serves health only.
 */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnv(OrdersEnv) }),
    loggingModule('orders'),
    DatabaseModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<OrdersEnv, true>) =>
        databaseOptionsFrom(config, config.get('ORDERS_DB_NAME', { infer: true }), { entities: [], migrations: [] }),
    }),
    AmqpModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<OrdersEnv, true>) => amqpOptionsFrom(config, 'orders'),
    }),
    HealthModule.register({
      inject: [DataSource, AmqpConnection],
      useFactory: (dataSource: DataSource, amqp: AmqpConnection) => [
        databaseReadiness(dataSource),
        brokerReadiness(amqp),
      ],
    }),
  ],
})
export class OrdersAppModule {}
