import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { actsFor, type OrderResponse } from '@app/contracts';
import { ConcurrencyConflictError, UnitOfWork } from '@app/ddd';
import { OrderNotFoundError } from '../../../domain/index.js';
import { OrderRepository } from '../../ports/order.repository.port.js';
import { OrderViewProjector } from '../../ports/order-view-projector.port.js';
import { OrdersOutbox } from '../../ports/orders-outbox.port.js';
import { SagaOutcomes } from '../../ports/saga-outcomes.port.js';
import { toOrderResponse } from '../../order-response.mapper.js';
import { CancelOrderCommand } from './cancel-order.command.js';

const ATTEMPTS = 3;

/**
 * PENDING or CONFIRMED → CANCELLED, emitting OrderCancelled so the users service releases the
 * credit. Cancelling is idempotent, so a race with the saga's own answer is simply re-run.
 */
@CommandHandler(CancelOrderCommand)
export class CancelOrderHandler implements ICommandHandler<CancelOrderCommand, OrderResponse> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewProjector,
    private readonly outbox: OrdersOutbox,
    private readonly outcomes: SagaOutcomes,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute(command: CancelOrderCommand): Promise<OrderResponse> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.cancelOnce(command);
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  private cancelOnce({ actor, orderId }: CancelOrderCommand): Promise<OrderResponse> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findById(orderId);
      if (!order || !actsFor(actor, order.userId)) throw new OrderNotFoundError(orderId);
      if (order.cancel(new Date())) {
        await this.orders.save(order);
        await this.views.project(order);
        await this.outbox.append(order.uncommittedEvents);
        this.outcomes.countSettled(order);
      }
      return toOrderResponse(order);
    });
  }
}
