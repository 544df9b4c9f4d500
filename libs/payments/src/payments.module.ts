import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { TransactionRunner } from '@app/platform';
import {
  CompensatePaymentHandler,
  GetPaymentByOrderHandler,
  PAYMENTS_OPTIONS,
  PaymentMetrics,
  PaymentProvider,
  PaymentRepository,
  PaymentsOutbox,
  ProcessDuePaymentsHandler,
  ProcessorSignal,
  RequestPaymentHandler,
  WorkOrigin,
  type PaymentsOptions,
} from './application/index.js';
import { MessageWorkOrigin } from './infrastructure/message-work-origin.js';
import { MeteredPaymentProvider } from './infrastructure/provider/metered-payment-provider.js';
import { SimulatedPaymentProvider } from './infrastructure/provider/simulated-payment-provider.js';
import {
  SIMULATED_PROVIDER_SETTINGS,
  type SimulatedProviderSettings,
} from './infrastructure/provider/simulated-provider-settings.js';
import { PrometheusPaymentMetrics } from './infrastructure/prometheus-payment-metrics.js';
import { SqlPaymentRepository } from './infrastructure/sql-payment.repository.js';
import { SqlPaymentsOutbox } from './infrastructure/sql-payments-outbox.js';
import { TransactionalProcessorSignal } from './infrastructure/transactional-processor-signal.js';
import { PaymentsEventHandlers } from './interface/events/payments-event-handlers.js';
import { PaymentsRpcController } from './interface/rpc/payments.rpc-controller.js';
import { PaymentProcessor } from './interface/schedule/payment-processor.js';

export interface PaymentsModuleSettings {
  payments: PaymentsOptions;
  provider: SimulatedProviderSettings;
}

export interface PaymentsModuleAsyncOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => PaymentsModuleSettings;
}

const SETTINGS = Symbol('PAYMENTS_MODULE_SETTINGS');

/**
 * The payments bounded context. Its host provides the payments database (`TransactionRunner`,
 * `DataSource`) and an events transport (`OutboxWriter`, `EventSubscriptions`); the provider is
 * the simulated one, which keeps its ledger in its own schema of that database.
 */
@Module({})
export class PaymentsModule {
  static forRootAsync(options: PaymentsModuleAsyncOptions): DynamicModule {
    return {
      module: PaymentsModule,
      imports: [CqrsModule.forRoot()],
      controllers: [PaymentsRpcController],
      providers: [
        { provide: SETTINGS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: PAYMENTS_OPTIONS, inject: [SETTINGS], useFactory: (s: PaymentsModuleSettings) => s.payments },
        {
          provide: SIMULATED_PROVIDER_SETTINGS,
          inject: [SETTINGS],
          useFactory: (s: PaymentsModuleSettings) => s.provider,
        },
        SimulatedPaymentProvider,
        {
          provide: PaymentProvider,
          inject: [SimulatedPaymentProvider],
          useFactory: (provider: SimulatedPaymentProvider) => new MeteredPaymentProvider(provider),
        },
        { provide: PaymentRepository, useClass: SqlPaymentRepository },
        { provide: PaymentsOutbox, useClass: SqlPaymentsOutbox },
        { provide: PaymentMetrics, useClass: PrometheusPaymentMetrics },
        { provide: ProcessorSignal, useClass: TransactionalProcessorSignal },
        { provide: WorkOrigin, useClass: MessageWorkOrigin },
        { provide: UnitOfWork, useExisting: TransactionRunner },
        RequestPaymentHandler,
        CompensatePaymentHandler,
        ProcessDuePaymentsHandler,
        GetPaymentByOrderHandler,
        PaymentsEventHandlers,
        PaymentProcessor,
      ],
    };
  }
}
