import type { DomainEvent } from '@app/ddd';
import { UsersEvents, type EventDefinition } from '@app/contracts';
import { outboxMessageOf, type OutboxMessage } from '@app/messaging';
import {
  CreditRejectedEvent,
  CreditReservedEvent,
  UserProfileUpdatedEvent,
  UserRegisteredEvent,
} from '../domain/index.js';

/**
 * Translates the users context's domain events into the integration events it publishes
 * (none for the purely internal ones, like CreditReleased).
 */
export function toOutboxMessage(event: DomainEvent): OutboxMessage[] {
  if (event instanceof UserRegisteredEvent) {
    return message(UsersEvents.userRegistered, event, {
      userId: event.aggregateId,
      email: event.email,
      name: event.name,
      role: event.role,
      creditLimitCents: event.creditLimitCents,
    });
  }
  if (event instanceof UserProfileUpdatedEvent) {
    return message(UsersEvents.userProfileUpdated, event, {
      userId: event.aggregateId,
      email: event.email,
      name: event.name,
    });
  }
  if (event instanceof CreditReservedEvent) {
    return message(UsersEvents.creditReserved, event, {
      orderId: event.aggregateId,
      userId: event.userId,
      amountCents: event.amountCents,
    });
  }
  if (event instanceof CreditRejectedEvent) {
    return message(UsersEvents.creditRejected, event, {
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
