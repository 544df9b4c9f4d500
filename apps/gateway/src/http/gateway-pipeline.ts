import { Module, type Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccessTokenGuard } from '../auth/access-token.guard.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import type { GatewayEnv } from '../gateway.env.js';
import { CorrelationInterceptor } from './correlation.interceptor.js';
import { GatewayValidationPipe } from './gateway-validation.pipe.js';
import { addSecurityHeaders } from './security-headers.js';
import { AnonymousRateLimitGuard, UserRateLimitGuard } from './rate-limit/rate-limit.guards.js';
import { rateLimits } from './rate-limit/rate-limits.js';
import { RateLimitStore } from './rate-limit/rate-limit.store.js';

/*
 * The gateway's request pipeline, in the order a request meets it:
 *
 *  1. correlation id      X-Correlation-Id taken if sane, else made; echoed   (createHttpApp)
 *  2. security headers    helmet                               SECURITY_HEADERS_ENABLED
 *  3. CORS                allowed origins                      CORS_ORIGINS
 *  4. body limit          64 KiB, else 413; JSON only, else 415 (createHttpApp, main.ts)
 *  5. rate limit          per client address; per account on log-in   RATE_LIMIT_* (live)
 *  6. authentication      Bearer access token, unless @Public()       JWT_*
 *  7. rate limit          per user; per user on POST /orders           RATE_LIMIT_* (live)
 *                         (5, 7: counted in this process, or in Redis for every replica: RATE_LIMIT_STORE)
 *  8. message context     the correlation id for every RPC and log line it causes
 *  9. validation          DTOs: unknown fields, types, bounds, UUID params → 400
 * 10. timeout             a request's RPCs share one deadline → 504   RPC_TIMEOUT_MS (live)
 * 11. circuit breaker     per service; open → 503 + Retry-After       CIRCUIT_* (live)
 * 12. RPC                 over RabbitMQ or gRPC to the owning service  RPC_TRANSPORT
 * 13. error mapping       everything → application/problem+json with a stable code
 *
 * Steps 1-4 are Fastify hooks (configureHttpPipeline), 5-9 and 13 Nest enhancers
 * (PIPELINE_PROVIDERS, registered in this order), 10-12 the RpcClient (rpc/service-clients.ts).
 * "(live)": read per request from the live configuration (LIVE_CONFIG_FILE), changed without a
 * restart; the start-up value otherwise.
 */

type GatewayConfig = ConfigService<GatewayEnv, true>;

export async function configureHttpPipeline(app: NestFastifyApplication, config: GatewayConfig): Promise<void> {
  if (config.get('SECURITY_HEADERS_ENABLED', { infer: true })) {
    addSecurityHeaders(app.getHttpAdapter().getInstance());
  }
  const origins = config
    .get('CORS_ORIGINS', { infer: true })
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  if (origins.length > 0) {
    app.enableCors({
      origin: origins,
      methods: ['GET', 'POST', 'PATCH'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
      exposedHeaders: ['x-correlation-id', 'retry-after'],
      maxAge: 600,
    });
  }
  // JSON only: without a text/plain parser, any other body type is a 415.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
}

/** The rate-limit counters (RATE_LIMIT_STORE), a provider of its own so its Redis connection closes at shutdown. */
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [ConfigService],
      useFactory: (config: GatewayConfig) =>
        RateLimitStore.from({
          RATE_LIMIT_STORE: config.get('RATE_LIMIT_STORE', { infer: true }),
          REDIS_URL: config.get('REDIS_URL', { infer: true }),
          RATE_LIMIT_REDIS_PREFIX: config.get('RATE_LIMIT_REDIS_PREFIX', { infer: true }),
          RATE_LIMIT_REDIS_TIMEOUT_MS: config.get('RATE_LIMIT_REDIS_TIMEOUT_MS', { infer: true }),
        }),
    },
  ],
  exports: [RateLimitStore],
})
class RateLimitStoreModule {}

export const rateLimitModule = ThrottlerModule.forRootAsync({
  imports: [RateLimitStoreModule],
  inject: [ConfigService, RateLimitStore],
  useFactory: (config: GatewayConfig, store: RateLimitStore) => ({
    throttlers: rateLimits({
      RATE_LIMIT_IP_PER_MINUTE: config.get('RATE_LIMIT_IP_PER_MINUTE', { infer: true }),
      RATE_LIMIT_USER_PER_MINUTE: config.get('RATE_LIMIT_USER_PER_MINUTE', { infer: true }),
      RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE: config.get('RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE', { infer: true }),
      RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: config.get('RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE', { infer: true }),
      RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE: config.get('RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE', { infer: true }),
      RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE: config.get('RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE', { infer: true }),
    }),
    setHeaders: false,
    // The numbers above are the start-up ones; the guards read the ones in force, and
    // RATE_LIMIT_ENABLED, from the live configuration per request. The store: this process's
    // memory, or Redis shared by every replica (RATE_LIMIT_STORE).
    storage: store.storage,
  }),
});

/** Steps 5-9 and 13, as Nest runs them: guards in order, then the interceptor, pipe, filter. */
export const PIPELINE_PROVIDERS: Provider[] = [
  { provide: APP_GUARD, useClass: AnonymousRateLimitGuard },
  { provide: APP_GUARD, useClass: AccessTokenGuard },
  { provide: APP_GUARD, useClass: UserRateLimitGuard },
  { provide: APP_INTERCEPTOR, useClass: CorrelationInterceptor },
  { provide: APP_PIPE, useClass: GatewayValidationPipe },
  { provide: APP_FILTER, useClass: ProblemDetailsFilter },
];
