import type { Channel } from 'amqplib';
import { EVENTS_EXCHANGE } from '@app/contracts';
import type { AmqpOptions } from '../amqp/amqp-options.js';
import { prefixed } from '../amqp/amqp-options.js';
import { retryDelayMs, type EventConsumerOptions } from './event-consumer-options.js';

export interface EventQueueNames {
  exchange: string;
  queue: string;
  deadLetter: string;
  /**
   * Index i holds the queue that delays retry number i + 1. Named by its delay: a queue's TTL
   * cannot change once declared, so new retry settings simply use new queues.
   */
  retries: string[];
}

export function eventQueueNames(
  amqp: Pick<AmqpOptions, 'prefix'>,
  options: Omit<EventConsumerOptions, 'batchSize' | 'concurrency'>,
): EventQueueNames {
  const queue = prefixed(amqp, options.queue);
  return {
    exchange: prefixed(amqp, EVENTS_EXCHANGE),
    queue,
    deadLetter: `${queue}.dlq`,
    retries: Array.from(
      { length: options.maxAttempts - 1 },
      (_, i) => `${queue}.retry.${retryDelayMs(options, i + 1)}ms`,
    ),
  };
}

/**
 * Declares a consumer's topology: the durable `events` topic exchange, its durable queue bound
 * to the routing keys it handles, one delay queue per retry (its TTL dead-letters the message
 * back onto the queue), and the dead-letter queue. Idempotent, run on every (re)connect.
 */
export async function declareEventTopology(
  channel: Channel,
  names: EventQueueNames,
  options: EventConsumerOptions,
  routingKeys: string[],
): Promise<void> {
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  await channel.assertQueue(names.queue, { durable: true });
  for (const key of routingKeys) await channel.bindQueue(names.queue, names.exchange, key);
  await channel.assertQueue(names.deadLetter, { durable: true });
  for (const [i, retry] of names.retries.entries()) {
    await channel.assertQueue(retry, {
      durable: true,
      arguments: {
        'x-message-ttl': retryDelayMs(options, i + 1),
        'x-dead-letter-exchange': '',
        'x-dead-letter-routing-key': names.queue,
      },
    });
  }
}
