import type { DomainEvent } from '@app/ddd';
import type { OrderLinePrimitives } from './order-line.value-object.js';

export class OrderPlacedEvent implements DomainEvent {
  readonly type = 'OrderPlaced';
  constructor(
    readonly aggregateId: string,
    readonly occurredAt: Date,
    readonly userId: string,
    readonly totalCents: number,
    readonly currency: string,
    readonly lines: readonly OrderLinePrimitives[],
  ) {}
}
