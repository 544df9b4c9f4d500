import type { DomainEvent } from '@app/ddd';
import { UsersEvents, type UserProfileUpdatedV1, type UserRegisteredV1 } from '@app/contracts';
import type { OutboxMessage } from '@app/messaging';
import { randomUUID } from 'node:crypto';
import { UserProfileUpdatedEvent, UserRegisteredEvent } from '../domain/index.js';

/** Translates the users context's domain events into the integration events it publishes. */
export function toOutboxMessage(event: DomainEvent): OutboxMessage {
  if (event instanceof UserRegisteredEvent) {
    const payload: UserRegisteredV1 = {
      userId: event.aggregateId,
      email: event.email,
      name: event.name,
      role: event.role,
      creditLimitCents: event.creditLimitCents,
    };
    return message(UsersEvents.userRegistered, payload, event.occurredAt);
  }
  if (event instanceof UserProfileUpdatedEvent) {
    const payload: UserProfileUpdatedV1 = { userId: event.aggregateId, email: event.email, name: event.name };
    return message(UsersEvents.userProfileUpdated, payload, event.occurredAt);
  }
  throw new Error(`no integration event for domain event ${event.type}`);
}

function message(
  kind: { type: string; version: number; routingKey: string },
  payload: unknown,
  occurredAt: Date,
): OutboxMessage {
  return { id: randomUUID(), type: kind.type, version: kind.version, routingKey: kind.routingKey, payload, occurredAt };
}
