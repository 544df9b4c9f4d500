import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/ddd';
import { OutboxWriter } from '@app/messaging';
import type { OrdersOutbox } from '../application/index.js';
import { toOutboxMessage } from './orders-integration-events.js';

/** The orders context's integration events, as rows of its `outbox` table (one statement, or none). */
@Injectable()
export class SqlOrdersOutbox implements OrdersOutbox {
  constructor(private readonly outbox: OutboxWriter) {}

  append(events: readonly DomainEvent[]): Promise<void> {
    return this.outbox.append(events.flatMap(toOutboxMessage));
  }
}
