import type { Order } from '../../domain/index.js';

/**
 * The write side of the `order_views` read model, its only writer. Called in the unit of work
 * that saves the order, so reading one's own order right after placing it always works and the
 * view never disagrees with the order.
 */
export abstract class OrderViewProjector {
  /** Shows the order as it is now: a new order's row, or a saved one's new status. */
  abstract project(order: Order): Promise<void>;
}
