import type { DomainEvent } from '@app/ddd';
import { OrdersEvents, type EventDefinition } from '@app/contracts';
import { outboxMessageOf, type OutboxMessage } from '@app/messaging';
import { OrderCancelledEvent, OrderPlacedEvent, PaymentRequestedEvent } from '../domain/index.js';

/** The integration events the orders context publishes: its part of the saga. */
export function toOutboxMessage(event: DomainEvent): OutboxMessage[] {
  if (event instanceof OrderPlacedEvent) {
    return message(OrdersEvents.orderPlaced, event, {
      orderId: event.aggregateId,
      userId: event.userId,
      totalCents: event.totalCents,
      currency: event.currency,
    });
  }
  if (event instanceof PaymentRequestedEvent) {
    return message(OrdersEvents.paymentRequested, event, {
      orderId: event.aggregateId,
      userId: event.userId,
      amountCents: event.amountCents,
      currency: event.currency,
    });
  }
  if (event instanceof OrderCancelledEvent) {
    return message(OrdersEvents.orderCancelled, event, {
      orderId: event.aggregateId,
      userId: event.userId,
      reason: event.reason,
    });
  }
  return [];
}

function message<T>(definition: EventDefinition<T>, event: DomainEvent, payload: T): OutboxMessage[] {
  return [outboxMessageOf(definition, event.occurredAt, payload)];
}
