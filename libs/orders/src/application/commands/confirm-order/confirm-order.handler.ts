import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { OrderNotFoundError } from '../../../domain/index.js';
import { OrderRepository } from '../../ports/order.repository.port.js';
import { OrderViewProjector } from '../../ports/order-view-projector.port.js';
import { OrdersOutbox } from '../../ports/orders-outbox.port.js';
import { SagaOutcomes } from '../../ports/saga-outcomes.port.js';
import { ConfirmOrderCommand } from './confirm-order.command.js';

/**
 * PENDING, payment REQUESTED → CONFIRMED, payment CAPTURED. A capture for an order already settled
 * (timed out, cancelled) changes nothing here: the payments service refunds it on its own.
 */
@CommandHandler(ConfirmOrderCommand)
export class ConfirmOrderHandler implements ICommandHandler<ConfirmOrderCommand, void> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewProjector,
    private readonly outbox: OrdersOutbox,
    private readonly outcomes: SagaOutcomes,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId }: ConfirmOrderCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findById(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (!order.confirm(new Date())) return;
      await this.orders.save(order);
      await this.views.project(order);
      await this.outbox.append(order.uncommittedEvents);
      this.outcomes.countSettled(order);
    });
  }
}
