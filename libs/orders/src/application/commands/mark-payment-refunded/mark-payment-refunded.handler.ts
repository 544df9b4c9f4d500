import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { OrderNotFoundError } from '../../../domain/index.js';
import { OrderRepository } from '../../ports/order.repository.port.js';
import { OrderViewProjector } from '../../ports/order-view-projector.port.js';
import { MarkPaymentRefundedCommand } from './mark-payment-refunded.command.js';

/**
 * The order's payment → REFUNDED, its status unchanged (a cancelled order, or one settled before
 * a late capture). Nothing is published: the refund is the end of the saga's compensation.
 */
@CommandHandler(MarkPaymentRefundedCommand)
export class MarkPaymentRefundedHandler implements ICommandHandler<MarkPaymentRefundedCommand, void> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewProjector,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId }: MarkPaymentRefundedCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findById(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (!order.paymentRefunded(new Date())) return;
      await this.orders.save(order);
      await this.views.project(order);
    });
  }
}
