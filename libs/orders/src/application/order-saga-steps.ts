import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/ddd';
import { OrderNotFoundError, type Order } from '../domain/index.js';
import { OrderRepository } from './ports/order.repository.port.js';
import { OrderViewProjector } from './ports/order-view-projector.port.js';
import { OrdersOutbox } from './ports/orders-outbox.port.js';
import { SagaOutcomes } from './ports/saga-outcomes.port.js';

/**
 * How every answer of the saga (credit, payment, refund) reaches an order: in one transaction,
 * the order changed by its aggregate, its read-model row, its outbox rows, and its outcome counted
 * when this answer settled it. A step that changes nothing (a redelivered or late answer) writes
 * nothing. The order is the saga's persisted state, so this is the one place a step is applied.
 */
@Injectable()
export class OrderSagaSteps {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewProjector,
    private readonly outbox: OrdersOutbox,
    private readonly outcomes: SagaOutcomes,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  /** `step` changes the order and returns true, or returns false when the answer is stale. */
  apply(orderId: string, step: (order: Order, now: Date) => boolean): Promise<void> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findById(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      const wasSettled = order.isSettled;
      if (!step(order, new Date())) return;
      await this.orders.save(order);
      await this.views.project(order);
      await this.outbox.append(order.uncommittedEvents);
      if (!wasSettled && order.isSettled) this.outcomes.countSettled(order);
    });
  }
}
