import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderSagaSteps } from '../../order-saga-steps.js';
import { ConfirmOrderCommand } from './confirm-order.command.js';

/**
 * PENDING, payment REQUESTED → CONFIRMED, payment CAPTURED. A capture for an order already settled
 * (timed out, cancelled) changes nothing here: the payments service refunds it on its own.
 */
@CommandHandler(ConfirmOrderCommand)
export class ConfirmOrderHandler implements ICommandHandler<ConfirmOrderCommand, void> {
  constructor(private readonly steps: OrderSagaSteps) {}

  execute({ orderId }: ConfirmOrderCommand): Promise<void> {
    return this.steps.apply(orderId, (order, now) => order.confirm(now));
  }
}
