import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ConcurrencyConflictError, UnitOfWork } from '@app/ddd';
import { OrderRepository } from '../../ports/order.repository.port.js';
import { OrderViewProjector } from '../../ports/order-view-projector.port.js';
import { OrdersOutbox } from '../../ports/orders-outbox.port.js';
import { SagaOutcomes } from '../../ports/saga-outcomes.port.js';
import { ExpirePendingOrdersCommand } from './expire-pending-orders.command.js';

/**
 * The saga's timeout: each PENDING order past the deadline (credit or payment unanswered) becomes REJECTED (SAGA_TIMEOUT) and
 * emits OrderCancelled, so a reservation that arrives late is released. An order answered
 * meanwhile (version conflict) is left as the answer made it. Returns how many expired.
 */
@CommandHandler(ExpirePendingOrdersCommand)
export class ExpirePendingOrdersHandler implements ICommandHandler<ExpirePendingOrdersCommand, number> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewProjector,
    private readonly outbox: OrdersOutbox,
    private readonly outcomes: SagaOutcomes,
    private readonly unitOfWork: UnitOfWork,
  ) {}

  async execute({ timeoutMs, limit }: ExpirePendingOrdersCommand): Promise<number> {
    const now = new Date();
    const ids = await this.orders.findPendingPlacedBefore(new Date(now.getTime() - timeoutMs), limit);
    let expired = 0;
    for (const id of ids) {
      try {
        if (await this.expire(id, now)) expired += 1;
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
      }
    }
    return expired;
  }

  private expire(id: string, now: Date): Promise<boolean> {
    return this.unitOfWork.run(async () => {
      const order = await this.orders.findById(id);
      if (!order?.expireAfterTimeout(now)) return false;
      await this.orders.save(order);
      await this.views.project(order);
      await this.outbox.append(order.uncommittedEvents);
      this.outcomes.countSettled(order);
      return true;
    });
  }
}
