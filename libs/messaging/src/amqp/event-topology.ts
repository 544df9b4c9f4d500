import type { ChannelModel } from 'amqplib';
import { EVENTS_EXCHANGE } from '@app/contracts';
import type { AmqpOptions } from './amqp-options.js';
import { prefixed } from './amqp-options.js';
import { deadLetteringTo, declareQuorumQueues, type QueueSpec } from './quorum-queues.js';
import { retryDelayMs, type EventConsumerOptions } from '../events/event-consumer-options.js';

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
 * A consumer's queues, in the order they must be declared (what a queue dead-letters into
 * first). All are quorum queues. The work queue dead-letters a message its consumers took
 * `deliveryLimit` times without settling it (it crashed or hung them) into the dead-letter
 * queue, where the broker's `x-death` header says why; the consumer itself dead-letters what
 * failed `maxAttempts` times, with its own headers. Each retry queue holds a message for its
 * delay (its TTL), then dead-letters it back onto the work queue.
 */
export function eventQueueSpecs(
  names: EventQueueNames,
  options: EventConsumerOptions,
  routingKeys: string[],
  deliveryLimit: number,
): QueueSpec[] {
  return [
    { name: names.deadLetter, arguments: {}, bindings: [] },
    ...names.retries.map((retry, i) => ({
      name: retry,
      arguments: { 'x-message-ttl': retryDelayMs(options, i + 1), ...deadLetteringTo(names.queue) },
      bindings: [],
    })),
    {
      name: names.queue,
      arguments: { 'x-delivery-limit': deliveryLimit, ...deadLetteringTo(names.deadLetter) },
      bindings: routingKeys.map((routingKey) => ({ exchange: names.exchange, routingKey })),
    },
  ];
}

/**
 * Declares a consumer's topology: the durable `events` topic exchange and the queues of
 * `eventQueueSpecs`, migrating any that an older version declared otherwise. Idempotent, run
 * on every (re)connect.
 */
export async function declareEventTopology(
  model: ChannelModel,
  names: EventQueueNames,
  options: EventConsumerOptions,
  routingKeys: string[],
  deliveryLimit: number,
): Promise<void> {
  const channel = await model.createChannel();
  await channel.assertExchange(names.exchange, 'topic', { durable: true });
  await channel.close();
  await declareQuorumQueues(model, eventQueueSpecs(names, options, routingKeys, deliveryLimit));
}
