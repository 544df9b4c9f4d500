import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { OrderSagaSteps } from '../../order-saga-steps.js';
import { RejectOrderCommand } from './reject-order.command.js';

/** PENDING → REJECTED with the reason; for a settled order, nothing. */
@CommandHandler(RejectOrderCommand)
export class RejectOrderHandler implements ICommandHandler<RejectOrderCommand, void> {
  constructor(private readonly steps: OrderSagaSteps) {}

  execute({ orderId, reason }: RejectOrderCommand): Promise<void> {
    return this.steps.apply(orderId, (order, now) => order.reject(reason, now));
  }
}
