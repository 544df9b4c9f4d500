import { randomUUID } from 'node:crypto';
import type { EventDefinition } from '@app/contracts';
import type { OutboxMessage } from './outbox-message.js';

/** The outbox row of one integration event: its contract's type, version and routing key. */
export function outboxMessageOf<T>(definition: EventDefinition<T>, occurredAt: Date, payload: T): OutboxMessage {
  return {
    id: randomUUID(),
    type: definition.type,
    version: definition.version,
    routingKey: definition.routingKey,
    mustBeReceived: definition.mustBeReceived,
    payload,
    occurredAt,
  };
}
