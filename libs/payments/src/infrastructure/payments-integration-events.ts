import type { DomainEvent } from '@app/ddd';
import { PaymentsEvents, type EventDefinition } from '@app/contracts';
import { outboxMessageOf, type OutboxMessage } from '@app/messaging';
import {
  PaymentCapturedEvent,
  PaymentDeclinedEvent,
  PaymentRefundedEvent,
  PaymentVoidedEvent,
} from '../domain/index.js';

/** The integration events the payments context publishes: its answers to the orders saga. */
export function toOutboxMessage(event: DomainEvent): OutboxMessage[] {
  if (event instanceof PaymentCapturedEvent) {
    return message(PaymentsEvents.paymentCaptured, event, {
      orderId: event.orderId,
      userId: event.userId,
      paymentId: event.aggregateId,
      amountCents: event.amountCents,
      currency: event.currency,
    });
  }
  if (event instanceof PaymentDeclinedEvent) {
    return message(PaymentsEvents.paymentDeclined, event, {
      orderId: event.orderId,
      userId: event.userId,
      paymentId: event.aggregateId,
      reason: event.reason,
    });
  }
  if (event instanceof PaymentRefundedEvent) {
    return message(PaymentsEvents.paymentRefunded, event, {
      orderId: event.orderId,
      userId: event.userId,
      paymentId: event.aggregateId,
      amountCents: event.amountCents,
      currency: event.currency,
    });
  }
  if (event instanceof PaymentVoidedEvent) {
    return message(PaymentsEvents.paymentVoided, event, {
      orderId: event.orderId,
      userId: event.userId,
      paymentId: event.aggregateId,
    });
  }
  return [];
}

function message<T>(definition: EventDefinition<T>, event: DomainEvent, payload: T): OutboxMessage[] {
  return [outboxMessageOf(definition, event.occurredAt, payload)];
}
