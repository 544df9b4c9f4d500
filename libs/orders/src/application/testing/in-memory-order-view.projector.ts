import type { OrderResponse } from '@app/contracts';
import type { Order } from '../../domain/index.js';
import { toOrderResponse } from '../order-response.mapper.js';
import type { OrderViewProjector } from '../ports/order-view-projector.port.js';
import type { InMemoryUnitOfWork } from '@app/ddd';

/** The read model as the API would show it, by order id. */
export class InMemoryOrderViewProjector implements OrderViewProjector {
  private rows = new Map<string, OrderResponse>();

  constructor(unitOfWork: InMemoryUnitOfWork) {
    unitOfWork.register({
      snapshot: () => new Map(this.rows),
      restore: (rows) => (this.rows = rows as typeof this.rows),
    });
  }

  async project(order: Order): Promise<void> {
    if (order.isNew === this.rows.has(order.id)) {
      throw new Error(
        `order ${order.id} projected as ${order.isNew ? 'new' : 'saved'}, view ${this.rows.has(order.id)}`,
      );
    }
    this.rows.set(order.id, toOrderResponse(order));
  }

  /** Stores the view of an order saved earlier (spec setup). */
  add(order: Order): void {
    this.rows.set(order.id, toOrderResponse(order));
  }

  view(id: string): OrderResponse | undefined {
    return this.rows.get(id);
  }

  get size(): number {
    return this.rows.size;
  }
}
