import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/ddd';
import { OutboxWriter } from '@app/messaging';
import type { UsersOutbox } from '../application/index.js';
import { toOutboxMessage } from './users-integration-events.js';

/** The users context's integration events, as rows of its `outbox` table (one statement, or none). */
@Injectable()
export class SqlUsersOutbox implements UsersOutbox {
  constructor(private readonly outbox: OutboxWriter) {}

  append(events: readonly DomainEvent[]): Promise<void> {
    return this.outbox.append(events.flatMap(toOutboxMessage));
  }
}
