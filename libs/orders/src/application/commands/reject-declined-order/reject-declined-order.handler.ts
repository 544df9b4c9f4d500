import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderSagaSteps } from '../../order-saga-steps.js';
import { RejectDeclinedOrderCommand } from './reject-declined-order.command.js';

/**
 * PENDING, payment REQUESTED → REJECTED (PAYMENT_DECLINED), payment DECLINED; OrderRejected and
 * OrderCancelled go to the outbox with it, so the users service releases the reserved credit.
 * A redelivered or late decline changes nothing.
 */
@CommandHandler(RejectDeclinedOrderCommand)
export class RejectDeclinedOrderHandler implements ICommandHandler<RejectDeclinedOrderCommand, void> {
  constructor(private readonly steps: OrderSagaSteps) {}

  execute({ orderId }: RejectDeclinedOrderCommand): Promise<void> {
    return this.steps.apply(orderId, (order, now) => order.rejectPaymentDeclined(now));
  }
}
