import { InMemoryIdempotencyKeys } from './in-memory-idempotency-keys.js';
import { InMemoryOrderViewProjector } from './in-memory-order-view.projector.js';
import { InMemoryOrderRepository } from './in-memory-order.repository.js';
import { InMemoryOrdersOutbox } from './in-memory-orders-outbox.js';
import { InMemoryUnitOfWork } from '@app/ddd';
import { RecordedSagaOutcomes } from './recorded-saga-outcomes.js';

/** Every port of the orders write side, in memory, sharing one unit of work. */
export function inMemoryOrdersPorts() {
  const unitOfWork = new InMemoryUnitOfWork();
  return {
    unitOfWork,
    orders: new InMemoryOrderRepository(unitOfWork),
    views: new InMemoryOrderViewProjector(unitOfWork),
    outbox: new InMemoryOrdersOutbox(unitOfWork),
    keys: new InMemoryIdempotencyKeys(unitOfWork),
    outcomes: new RecordedSagaOutcomes(unitOfWork),
  };
}

export type InMemoryOrdersPorts = ReturnType<typeof inMemoryOrdersPorts>;
