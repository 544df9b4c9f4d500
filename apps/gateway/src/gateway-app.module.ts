import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { RpcQueues } from '@app/contracts';
import {
  HealthModule,
  LiveConfig,
  LiveConfigModule,
  ManagementServer,
  MetricsModule,
  StartupModule,
  TracingModule,
  liveConfigReadiness,
  loggingModule,
  validateEnv,
  type ReadinessCheck,
} from '@app/platform';
import { AuthController } from './auth/auth.controller.js';
import { loadSigningKeys } from './auth/signing-keys.js';
import { SIGNING_KEYS, TOKEN_OPTIONS, TokenService, type TokenOptions } from './auth/token.service.js';
import { GatewayEnv } from './gateway.env.js';
import { FeatureSwitches } from './http/feature-switches/feature-switches.js';
import { remainingOf } from './http/request-deadline.js';
import { PIPELINE_PROVIDERS, rateLimitModule } from './http/gateway-pipeline.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrderPaymentController } from './payments/order-payment.controller.js';
import { ResilientRpcClient } from './rpc/resilient-rpc-client.js';
import {
  ORDERS_CLIENT,
  PAYMENTS_CLIENT,
  RPC_CLIENT_FACTORY,
  TRANSPORT_READINESS,
  USERS_CLIENT,
  type GatewayTransport,
  type RpcClientFactory,
} from './rpc/service-clients.js';
import { UsersController } from './users/users.controller.js';

type Config = ConfigService<GatewayEnv, true>;

/**
 * The deadline and breaker thresholds in force, read per call: the live configuration changes
 * them. A call's deadline is what is left of its HTTP request's RPC_TIMEOUT_MS.
 */
const rpcSettings = (live: LiveConfig<GatewayEnv>) => () => {
  const values = live.current();
  return {
    timeoutMs: remainingOf(values.RPC_TIMEOUT_MS),
    failureThreshold: values.CIRCUIT_FAILURE_THRESHOLD,
    cooldownMs: values.CIRCUIT_COOLDOWN_MS,
  };
};

/** The gateway: REST in, RPC out. Its request pipeline is laid out in http/gateway-pipeline.ts. */
@Module({
  imports: [rateLimitModule],
  controllers: [AuthController, UsersController, OrdersController, OrderPaymentController],
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
    FeatureSwitches,
    serviceClient(USERS_CLIENT, RpcQueues.users),
    serviceClient(ORDERS_CLIENT, RpcQueues.orders),
    serviceClient(PAYMENTS_CLIENT, RpcQueues.payments),
  ],
})
export class GatewayAppModule {
  /**
   * The gateway reaching the services through `transport` (RabbitMQ, or in process in the
   * monolith); `process` names the process in logs, metrics and traces; `broker` says whether
   * the transport connects to RabbitMQ (its credentials are then checked in production).
   */
  static over(transport: GatewayTransport, process = 'gateway', broker = true): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        // Here, not in @Module: validated when the app is built (inside runApp), never at import.
        ConfigModule.forRoot({ isGlobal: true, validate: validateEnv(GatewayEnv, { broker }) }),
        LiveConfigModule.forRoot({ app: 'gateway', schema: GatewayEnv, rules: { broker } }),
        // Served on MANAGEMENT_PORT (ManagementServer), never on the public port.
        MetricsModule.forRoot(process, { endpoint: false }),
        TracingModule.forRoot(process),
        loggingModule(process),
        StartupModule,
        transport,
        // The public port: which check fails, not why (driver errors name hosts and ports); the
        // management port shows why.
        HealthModule.register(
          {
            inject: [TRANSPORT_READINESS, LiveConfig],
            useFactory: (checks: ReadinessCheck[], live: LiveConfig<GatewayEnv>) => [
              ...checks,
              liveConfigReadiness(live),
            ],
          },
          { reasons: 'logged' },
        ),
      ],
      providers: [ManagementServer],
    };
  }
}

/** The RPC client of one service: the transport's, with a deadline and a circuit breaker. */
function serviceClient(token: symbol, queue: string) {
  return {
    provide: token,
    inject: [RPC_CLIENT_FACTORY, ConfigService, LiveConfig],
    useFactory: async (clientFor: RpcClientFactory, config: Config, live: LiveConfig<GatewayEnv>) =>
      new ResilientRpcClient(
        await clientFor(queue, config.get('RPC_TIMEOUT_MS', { infer: true })),
        queue,
        rpcSettings(live),
      ),
  };
}
