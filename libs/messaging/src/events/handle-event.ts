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

/** An event that passed its contract check, with the subscription it is for. */
export interface ReceivedEvent {
  subscription: EventSubscription;
  event: IntegrationEvent;
  headers: Record<string, unknown>;
}

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
  const [handled] = await handleEvents(transactions, consumer, [{ subscription, event, headers }]);
  return handled!;
}

/**
 * Handles several events in ONE transaction: one inbox statement claims them all, then each
 * handler runs in turn, in its own consumer span and message context. All of them commit, or
 * none does (the caller then handles them one by one, so one bad event cannot hold back the
 * rest). Under load this is what keeps a consumer's cost per event low: one BEGIN, one inbox
 * insert and one COMMIT (one WAL flush) for the batch instead of for every event.
 * Returns, per event, whether it was handled (false: a duplicate).
 */
export async function handleEvents(
  transactions: TransactionRunner,
  consumer: string,
  received: ReceivedEvent[],
): Promise<boolean[]> {
  const handled = await transactions.run(async (manager) => {
    const fresh = await claimInbox(
      manager,
      received.map(({ event }) => event.id),
      consumer,
    );
    const results: boolean[] = [];
    for (const { subscription, event, headers } of received) {
      // delete: the same message twice in one batch has one effect too
      const isNew = fresh.delete(event.id.toLowerCase());
      results.push(isNew);
      await inSpan(
        `consume ${subscription.event.routingKey}`,
        SpanKind.CONSUMER,
        { 'messaging.destination.name': consumer, 'messaging.message.id': event.id },
        () =>
          runInMessageContext({ correlationId: event.correlationId ?? event.id, causationId: event.id }, async () => {
            const routingKey = subscription.event.routingKey;
            if (!isNew) {
              logger.debug(`${consumer}: duplicate ${routingKey} ${event.id}, already handled`);
              return;
            }
            await subscription.handle(event);
            // Inside the span and message context: the line carries the trace and correlation ids.
            logger.debug(`${consumer}: handled ${routingKey} ${event.id}`);
          }),
        extractTraceContext(headers),
      );
    }
    return results;
  });
  for (const isNew of handled) messagesConsumed.inc({ queue: consumer, outcome: isNew ? 'handled' : 'duplicate' });
  return handled;
}
