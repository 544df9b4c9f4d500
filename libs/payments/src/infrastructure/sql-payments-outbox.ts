import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/ddd';
import { OutboxWriter } from '@app/messaging';
import type { PaymentsOutbox } from '../application/index.js';
import { toOutboxMessage } from './payments-integration-events.js';

/** The payments context's integration events, as rows of its `outbox` table (one statement, or none). */
@Injectable()
export class SqlPaymentsOutbox implements PaymentsOutbox {
  constructor(private readonly outbox: OutboxWriter) {}

  append(events: readonly DomainEvent[]): Promise<void> {
    return this.outbox.append(events.flatMap(toOutboxMessage));
  }
}
