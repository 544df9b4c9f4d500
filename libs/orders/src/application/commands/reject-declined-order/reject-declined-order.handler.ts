import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { OrderNotFoundError } from '../../../domain/index.js';
import { OrderRepository } from '../../ports/order.repository.port.js';
import { OrderViewProjector } from '../../ports/order-view-projector.port.js';
import { OrdersOutbox } from '../../ports/orders-outbox.port.js';
import { SagaOutcomes } from '../../ports/saga-outcomes.port.js';
import { RejectDeclinedOrderCommand } from './reject-declined-order.command.js';

/**
 * PENDING, payment REQUESTED → REJECTED (PAYMENT_DECLINED), payment DECLINED; OrderRejected and
 * OrderCancelled go to the outbox with it, so the users service releases the reserved credit.
 * A redelivered or late decline changes nothing.
 */
@CommandHandler(RejectDeclinedOrderCommand)
export class RejectDeclinedOrderHandler implements ICommandHandler<RejectDeclinedOrderCommand, void> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewProjector,
    private readonly outbox: OrdersOutbox,
    private readonly outcomes: SagaOutcomes,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId }: RejectDeclinedOrderCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findById(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (!order.rejectPaymentDeclined(new Date())) return;
      await this.orders.save(order);
      await this.views.project(order);
      await this.outbox.append(order.uncommittedEvents);
      this.outcomes.countSettled(order);
    });
  }
}
