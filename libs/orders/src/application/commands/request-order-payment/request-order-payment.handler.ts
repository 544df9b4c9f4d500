import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderSagaSteps } from '../../order-saga-steps.js';
import { RequestOrderPaymentCommand } from './request-order-payment.command.js';

/**
 * PENDING, payment NOT_REQUESTED → payment REQUESTED, with PaymentRequested in the outbox of the
 * same transaction. A reservation for an order settled meanwhile changes nothing: that order
 * already emitted OrderCancelled, on which the users service releases the reservation.
 */
@CommandHandler(RequestOrderPaymentCommand)
export class RequestOrderPaymentHandler implements ICommandHandler<RequestOrderPaymentCommand, void> {
  constructor(private readonly steps: OrderSagaSteps) {}

  execute({ orderId }: RequestOrderPaymentCommand): Promise<void> {
    return this.steps.apply(orderId, (order, now) => order.requestPayment(now));
  }
}
