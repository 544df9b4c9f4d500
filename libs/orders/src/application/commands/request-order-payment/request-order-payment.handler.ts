import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@app/ddd';
import { OrderNotFoundError } from '../../../domain/index.js';
import { OrderRepository } from '../../ports/order.repository.port.js';
import { OrderViewProjector } from '../../ports/order-view-projector.port.js';
import { OrdersOutbox } from '../../ports/orders-outbox.port.js';
import { RequestOrderPaymentCommand } from './request-order-payment.command.js';

/**
 * PENDING, payment NOT_REQUESTED → payment REQUESTED, with PaymentRequested in the outbox of the
 * same transaction. A reservation for an order settled meanwhile changes nothing: that order
 * already emitted OrderCancelled, on which the users service releases the reservation.
 */
@CommandHandler(RequestOrderPaymentCommand)
export class RequestOrderPaymentHandler implements ICommandHandler<RequestOrderPaymentCommand, void> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewProjector,
    private readonly outbox: OrdersOutbox,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  execute({ orderId }: RequestOrderPaymentCommand): Promise<void> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findById(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (!order.requestPayment(new Date())) return;
      await this.orders.save(order);
      await this.views.project(order);
      await this.outbox.append(order.uncommittedEvents);
    });
  }
}
