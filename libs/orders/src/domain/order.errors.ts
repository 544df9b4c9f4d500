import { DomainError } from '@app/ddd';
import type { OrderStatus } from './order-status.js';

export class OrderNotFoundError extends DomainError {
  readonly code = 'ORDER_NOT_FOUND';
  constructor(orderId: string) {
    super(`order ${orderId} does not exist`);
  }
}

export class OrderNotCancellableError extends DomainError {
  readonly code = 'ORDER_NOT_CANCELLABLE';
  constructor(status: OrderStatus) {
    super(`an order that is ${status} cannot be cancelled`, { status });
  }
}
