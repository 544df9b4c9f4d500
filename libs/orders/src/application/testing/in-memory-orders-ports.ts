import { InMemoryIdempotencyKeys } from './in-memory-idempotency-keys.js';
import { InMemoryOrderViewProjector } from './in-memory-order-view.projector.js';
import { InMemoryOrderRepository } from './in-memory-order.repository.js';
import { InMemoryOrdersOutbox } from './in-memory-orders-outbox.js';
import { InMemoryUnitOfWork } from '@app/ddd';
import { RecordedSagaOutcomes } from './recorded-saga-outcomes.js';
import { OrderSagaSteps } from '../order-saga-steps.js';

/** Every port of the orders write side, in memory, sharing one unit of work. */
export function inMemoryOrdersPorts() {
  const unitOfWork = new InMemoryUnitOfWork();
  const orders = new InMemoryOrderRepository(unitOfWork);
  const views = new InMemoryOrderViewProjector(unitOfWork);
  const outbox = new InMemoryOrdersOutbox(unitOfWork);
  const outcomes = new RecordedSagaOutcomes(unitOfWork);
  return {
    unitOfWork,
    orders,
    views,
    outbox,
    keys: new InMemoryIdempotencyKeys(unitOfWork),
    outcomes,
    sagaSteps: new OrderSagaSteps(orders, views, outbox, outcomes, unitOfWork),
  };
}

export type InMemoryOrdersPorts = ReturnType<typeof inMemoryOrdersPorts>;
