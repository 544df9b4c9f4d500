import type { EntityManager } from 'typeorm';
import { currentMessageContext } from '../context/message-context.js';
import type { OutboxMessage } from './outbox-message.js';

/**
 * Writes events to the outbox inside the caller's transaction, stamped with the correlation
 * and causation ids of the request or message being handled.
 */
export async function appendToOutbox(manager: EntityManager, messages: OutboxMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const context = currentMessageContext();
  const params: unknown[] = [];
  const rows = messages.map((message) => {
    const headers = {
      version: message.version,
      correlationId: context?.correlationId ?? null,
      causationId: context?.causationId ?? null,
    };
    params.push(message.id, message.type, message.routingKey, message.payload, headers, message.occurredAt);
    const n = params.length;
    return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
  });
  await manager.query(
    `INSERT INTO outbox (id, type, routing_key, payload, headers, occurred_at) VALUES ${rows.join(', ')}`,
    params,
  );
}
