import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderSagaSteps } from '../../order-saga-steps.js';
import { MarkPaymentVoidedCommand } from './mark-payment-voided.command.js';

/**
 * The order's payment → VOIDED, its status unchanged (cancelled or timed out before a charge was
 * kept). Nothing is published: the void ends the saga's compensation for this order.
 */
@CommandHandler(MarkPaymentVoidedCommand)
export class MarkPaymentVoidedHandler implements ICommandHandler<MarkPaymentVoidedCommand, void> {
  constructor(private readonly steps: OrderSagaSteps) {}

  execute({ orderId }: MarkPaymentVoidedCommand): Promise<void> {
    return this.steps.apply(orderId, (order, now) => order.paymentVoided(now));
  }
}
