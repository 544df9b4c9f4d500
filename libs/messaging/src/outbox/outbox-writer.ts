import { Injectable } from '@nestjs/common';
import { TransactionRunner, currentMessageContext, injectTraceContext } from '@app/platform';
import type { OutboxMessage } from './outbox-message.js';
import { OutboxSignal } from './outbox-signal.js';

/**
 * Writes integration events to the outbox inside the current transaction, stamped with the
 * correlation and causation ids of the request or message being handled, and wakes the relay
 * once that transaction commits.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly signal: OutboxSignal,
  ) {}

  async append(messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    if (!this.transactions.inTransaction) throw new Error('outbox rows must be written inside a transaction');
    const context = currentMessageContext();
    const params: unknown[] = [];
    const rows = messages.map((message) => {
      const headers: Record<string, unknown> = {
        version: message.version,
        correlationId: context?.correlationId ?? null,
        causationId: context?.causationId ?? null,
      };
      // Only the exception is written: rows without the flag (and older ones) must be received.
      if (!message.mustBeReceived) headers.mustBeReceived = false;
      injectTraceContext(headers); // traceparent: the relay's publish continues this trace
      params.push(message.id, message.type, message.routingKey, message.payload, headers, message.occurredAt);
      const n = params.length;
      return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await this.transactions.manager.query(
      `INSERT INTO outbox (id, type, routing_key, payload, headers, occurred_at) VALUES ${rows.join(', ')}`,
      params,
    );
    this.transactions.afterCommit(() => this.signal.notify());
  }
}
