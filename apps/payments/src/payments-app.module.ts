import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { HostInfrastructure } from '@app/messaging/host';
import { PaymentsModule } from '@app/payments';
import { PAYMENTS_HOST } from './payments.host.js';
import type { PaymentsEnv } from './payments.env.js';

/** Retries after a provider failure start here and double per attempt, up to the cap. */
const RETRY_BASE_MS = 200;
const RETRY_MAX_MS = 30_000;

/**
 * Composition root of the payments context: the same in both shapes; only the infrastructure
 * given (RabbitMQ service, or the monolith's in-process broker) differs.
 */
@Module({})
export class PaymentsAppModule {
  static on(infrastructure: HostInfrastructure): DynamicModule {
    return {
      module: PaymentsAppModule,
      imports: [
        ...infrastructure(PAYMENTS_HOST),
        PaymentsModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<PaymentsEnv, true>) => {
            const timeoutMs = config.get('PAYMENT_PROVIDER_TIMEOUT_MS', { infer: true });
            return {
              payments: {
                processIntervalMs: config.get('PAYMENTS_PROCESS_INTERVAL_MS', { infer: true }),
                processBatch: config.get('PAYMENTS_PROCESS_BATCH', { infer: true }),
                processConcurrency: config.get('PAYMENTS_PROCESS_CONCURRENCY', { infer: true }),
                // Outlives the provider's deadline, so no second processor calls while one still may.
                leaseMs: 2 * timeoutMs + 1000,
                retryBaseMs: RETRY_BASE_MS,
                retryMaxMs: RETRY_MAX_MS,
              },
              provider: {
                latencyMs: config.get('PAYMENT_PROVIDER_LATENCY_MS', { infer: true }),
                failureRate: config.get('PAYMENT_PROVIDER_FAILURE_RATE', { infer: true }),
                declineAboveCents: config.get('PAYMENT_PROVIDER_DECLINE_ABOVE_CENTS', { infer: true }),
                customerLimitCents: config.get('PAYMENT_PROVIDER_CUSTOMER_LIMIT_CENTS', { infer: true }),
                timeoutMs,
              },
            };
          },
        }),
      ],
    };
  }
}
