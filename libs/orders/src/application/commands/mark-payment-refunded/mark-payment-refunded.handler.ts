import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderSagaSteps } from '../../order-saga-steps.js';
import { MarkPaymentRefundedCommand } from './mark-payment-refunded.command.js';

/**
 * The order's payment → REFUNDED, its status unchanged (a cancelled order, or one settled before
 * a late capture). Nothing is published: the refund is the end of the saga's compensation.
 */
@CommandHandler(MarkPaymentRefundedCommand)
export class MarkPaymentRefundedHandler implements ICommandHandler<MarkPaymentRefundedCommand, void> {
  constructor(private readonly steps: OrderSagaSteps) {}

  execute({ orderId }: MarkPaymentRefundedCommand): Promise<void> {
    return this.steps.apply(orderId, (order, now) => order.paymentRefunded(now));
  }
}
