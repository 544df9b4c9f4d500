import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { RpcQueues } from '@app/contracts';
import { AmqpConnection, AmqpModule, amqpOptionsFrom, brokerReadiness } from '@app/messaging';
import { HealthModule, MetricsModule, TracingModule, loggingModule, validateEnv } from '@app/platform';
import { AuthController } from './auth/auth.controller.js';
import { loadSigningKeys } from './auth/signing-keys.js';
import { SIGNING_KEYS, TOKEN_OPTIONS, TokenService, type TokenOptions } from './auth/token.service.js';
import { GatewayEnv } from './gateway.env.js';
import { PIPELINE_PROVIDERS, rateLimitModule } from './http/gateway-pipeline.js';
import { OrdersController } from './orders/orders.controller.js';
import { ORDERS_CLIENT, USERS_CLIENT, amqpClientFor } from './rpc/service-clients.js';
import { UsersController } from './users/users.controller.js';

type Config = ConfigService<GatewayEnv, true>;

const breakerOptions = (config: Config) => ({
  failureThreshold: config.get('CIRCUIT_FAILURE_THRESHOLD', { infer: true }),
  cooldownMs: config.get('CIRCUIT_COOLDOWN_MS', { infer: true }),
});

/** The gateway: REST in, RPC out. Its request pipeline is laid out in http/gateway-pipeline.ts. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnv(GatewayEnv) }),
    MetricsModule.forRoot('gateway'),
    TracingModule.forRoot('gateway'),
    loggingModule('gateway'),
    rateLimitModule,
    AmqpModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: Config) => amqpOptionsFrom(config, 'gateway'),
    }),
    HealthModule.register({
      inject: [AmqpConnection],
      useFactory: (amqp: AmqpConnection) => [brokerReadiness(amqp)],
    }),
  ],
  controllers: [AuthController, UsersController, OrdersController],
  providers: [
    ...PIPELINE_PROVIDERS,
    {
      provide: SIGNING_KEYS,
      inject: [ConfigService],
      useFactory: (config: Config) =>
        loadSigningKeys({
          privateKey: config.get('JWT_PRIVATE_KEY', { infer: true }),
          publicKey: config.get('JWT_PUBLIC_KEY', { infer: true }),
          previousPublicKey: config.get('JWT_PREVIOUS_PUBLIC_KEY', { infer: true }),
          devKeysDir: config.get('JWT_DEV_KEYS_DIR', { infer: true }),
          production: config.get('NODE_ENV', { infer: true }) === 'production',
        }),
    },
    {
      provide: TOKEN_OPTIONS,
      inject: [ConfigService],
      useFactory: (config: Config): TokenOptions => ({
        issuer: config.get('JWT_ISSUER', { infer: true }),
        audience: config.get('JWT_AUDIENCE', { infer: true }),
        ttlSeconds: config.get('JWT_TTL_SECONDS', { infer: true }),
      }),
    },
    TokenService,
    {
      provide: USERS_CLIENT,
      inject: [AmqpConnection, ConfigService],
      useFactory: (amqp: AmqpConnection, config: Config) =>
        amqpClientFor(amqp, RpcQueues.users, config.get('RPC_TIMEOUT_MS', { infer: true }), breakerOptions(config)),
    },
    {
      provide: ORDERS_CLIENT,
      inject: [AmqpConnection, ConfigService],
      useFactory: (amqp: AmqpConnection, config: Config) =>
        amqpClientFor(amqp, RpcQueues.orders, config.get('RPC_TIMEOUT_MS', { infer: true }), breakerOptions(config)),
    },
  ],
})
export class GatewayAppModule {}
