import type { Order } from '../../domain/index.js';

/** Loads and saves Order aggregates; `save` writes the order, its view and its events at once. */
export abstract class OrderRepository {
  abstract findById(id: string): Promise<Order | null>;
  /** Throws ConcurrencyConflictError when the order changed since it was loaded. */
  abstract save(order: Order): Promise<void>;
  /** Ids of PENDING orders placed before `placedBefore`, oldest first. */
  abstract findPendingPlacedBefore(placedBefore: Date, limit: number): Promise<string[]>;
}
