import { Logger } from '@nestjs/common';
import type { IntegrationEvent } from '@app/contracts';
import {
  SpanKind,
  extractTraceContext,
  inSpan,
  messagesConsumed,
  runInMessageContext,
  type TransactionRunner,
} from '@app/platform';
import { claimInbox } from '../inbox/claim-inbox.js';
import type { EventSubscription } from './event-subscription.js';

const logger = new Logger('EventConsumer');

/**
 * Runs a consumer's handler for one event, in a consumer span and the event's message context,
 * with the inbox record and the handler's effects in ONE transaction. Returns false for a
 * duplicate (already in the inbox: no second effect); counts it either way once committed.
 * Shared by every transport's consumer.
 */
export async function handleEvent(
  transactions: TransactionRunner,
  consumer: string,
  subscription: EventSubscription,
  event: IntegrationEvent,
  headers: Record<string, unknown>,
): Promise<boolean> {
  const handled = await inSpan(
    `consume ${subscription.event.routingKey}`,
    SpanKind.CONSUMER,
    { 'messaging.destination.name': consumer, 'messaging.message.id': event.id },
    () =>
      runInMessageContext({ correlationId: event.correlationId ?? event.id, causationId: event.id }, () =>
        transactions.run(async (manager) => {
          const routingKey = subscription.event.routingKey;
          if (!(await claimInbox(manager, event.id, consumer))) {
            logger.debug(`${consumer}: duplicate ${routingKey} ${event.id}, already handled`);
            return false;
          }
          await subscription.handle(event);
          // Inside the span and message context: the line carries the trace and correlation ids.
          logger.debug(`${consumer}: handled ${routingKey} ${event.id}`);
          return true;
        }),
      ),
    extractTraceContext(headers),
  );
  messagesConsumed.inc({ queue: consumer, outcome: handled ? 'handled' : 'duplicate' });
  return handled;
}
