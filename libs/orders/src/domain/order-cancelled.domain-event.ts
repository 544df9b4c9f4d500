import type { DomainEvent } from '@app/ddd';
import type { OrderStatus } from './order-status.js';

/**
 * The order will not be paid for. Tells the users service to release any credit reserved for
 * it, including a reservation that arrives after a saga timeout (`previousStatus` PENDING).
 */
export class OrderCancelledEvent implements DomainEvent {
  readonly type = 'OrderCancelled';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly userId: string,
    readonly totalCents: number,
    readonly previousStatus: Exclude<OrderStatus, 'CANCELLED'>,
    readonly reason: string,
  ) {}
}
