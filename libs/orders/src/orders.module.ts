import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { TransactionRunner } from '@app/platform';
import {
  CancelOrderHandler,
  ConfirmOrderHandler,
  ExpirePendingOrdersHandler,
  GetOrderHandler,
  IdempotencyKeys,
  ListOrdersHandler,
  MarkPaymentRefundedHandler,
  MarkPaymentVoidedHandler,
  ORDERS_OPTIONS,
  OrderRepository,
  OrderSagaSteps,
  OrderViewProjector,
  OrderViews,
  OrdersOutbox,
  PlaceOrderHandler,
  PurgeIdempotencyKeysHandler,
  RejectDeclinedOrderHandler,
  RejectOrderHandler,
  RequestOrderPaymentHandler,
  SagaOutcomes,
  type OrdersOptions,
} from './application/index.js';
import { PrometheusSagaOutcomes } from './infrastructure/prometheus-saga-outcomes.js';
import { SqlIdempotencyKeys } from './infrastructure/sql-idempotency-keys.js';
import { SqlOrderViewProjector } from './infrastructure/sql-order-view.projector.js';
import { SqlOrderViews } from './infrastructure/sql-order-views.js';
import { SqlOrdersOutbox } from './infrastructure/sql-orders-outbox.js';
import { TypeormOrderRepository } from './infrastructure/typeorm-order.repository.js';
import { OrdersEventHandlers } from './interface/events/orders-event-handlers.js';
import { OrdersRpcController } from './interface/rpc/orders.rpc-controller.js';
import { OrderSweeper } from './interface/schedule/order-sweeper.js';

export interface OrdersModuleAsyncOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => OrdersOptions;
}

/**
 * The orders bounded context. Its host provides the orders database (`TransactionRunner`) and
 * an events transport (`OutboxWriter`, `EventSubscriptions`); the context knows nothing of how
 * its RPC and event handlers are reached.
 */
@Module({})
export class OrdersModule {
  static forRootAsync(options: OrdersModuleAsyncOptions): DynamicModule {
    return {
      module: OrdersModule,
      imports: [CqrsModule.forRoot()],
      controllers: [OrdersRpcController],
      providers: [
        { provide: ORDERS_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: OrderRepository, useClass: TypeormOrderRepository },
        { provide: OrderViews, useClass: SqlOrderViews },
        { provide: OrderViewProjector, useClass: SqlOrderViewProjector },
        { provide: OrdersOutbox, useClass: SqlOrdersOutbox },
        { provide: SagaOutcomes, useClass: PrometheusSagaOutcomes },
        { provide: IdempotencyKeys, useClass: SqlIdempotencyKeys },
        { provide: UnitOfWork, useExisting: TransactionRunner },
        OrderSagaSteps,
        PlaceOrderHandler,
        RequestOrderPaymentHandler,
        ConfirmOrderHandler,
        RejectOrderHandler,
        RejectDeclinedOrderHandler,
        MarkPaymentRefundedHandler,
        MarkPaymentVoidedHandler,
        CancelOrderHandler,
        ExpirePendingOrdersHandler,
        PurgeIdempotencyKeysHandler,
        GetOrderHandler,
        ListOrdersHandler,
        OrdersEventHandlers,
        OrderSweeper,
      ],
    };
  }
}
