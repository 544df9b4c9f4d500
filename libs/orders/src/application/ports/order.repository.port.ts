import type { Order } from '../../domain/index.js';

/** Loads and saves Order aggregates: the only writer of `orders` and `order_lines`. */
export abstract class OrderRepository {
  abstract findById(id: string): Promise<Order | null>;
  /**
   * Writes the order (a new one with its lines) and nothing else; its events stay on it until
   * the unit of work commits, for the handler's outbox step. Throws ConcurrencyConflictError
   * when the order changed since it was loaded.
   */
  abstract save(order: Order): Promise<void>;
  /** Ids of PENDING orders placed before `placedBefore`, oldest first. */
  abstract findPendingPlacedBefore(placedBefore: Date, limit: number): Promise<string[]>;
}
