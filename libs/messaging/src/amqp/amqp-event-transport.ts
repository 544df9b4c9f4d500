import { Logger } from '@nestjs/common';
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { EVENTS_EXCHANGE } from '@app/contracts';
import type { TransactionRunner } from '@app/platform';
import type { AmqpConnection } from './amqp-connection.js';
import { prefixed } from './amqp-options.js';
import { EventConsumer } from './event-consumer.js';
import type { EventConsumerOptions } from '../events/event-consumer-options.js';
import type { EventSubscription } from '../events/event-subscription.js';
import {
  EventTransport,
  type DeliveryResult,
  type EventConsumerHandle,
  type EventPublisher,
  type OutgoingEvent,
} from '../events/event-transport.js';

/**
 * Publishes to the durable `events` topic exchange with publisher confirms: a batch counts as
 * delivered once the broker confirmed all of it (persistent messages), never before. Events
 * some context must receive go out `mandatory`: the broker returns one that no queue is bound
 * for (before it confirms it), and it is reported `unroutable` instead of silently dropped.
 */
class AmqpEventPublisher implements EventPublisher {
  private readonly logger = new Logger(AmqpEventPublisher.name);
  private channel: ConfirmChannel | null = null;
  /** Message ids the broker returned as unroutable, collected while a batch is being confirmed. */
  private readonly returned = new Set<string>();
  private ready: () => void = () => undefined;
  /** One: the broker confirms a batch in a millisecond or two, and confirms are per channel. */
  readonly concurrency = 1;

  constructor(private readonly amqp: AmqpConnection) {}

  get isReady(): boolean {
    return this.channel !== null && this.amqp.isConnected;
  }

  async start(ready: () => void): Promise<void> {
    this.ready = ready;
    await this.amqp.addSetup((model) => this.openChannel(model));
  }

  async publish(events: OutgoingEvent[]): Promise<DeliveryResult[]> {
    const channel = this.channel;
    if (!channel) throw new Error('the broker channel is closed');
    const exchange = prefixed(this.amqp.options, EVENTS_EXCHANGE);
    this.returned.clear(); // one batch at a time (concurrency 1): what is left is a failed batch's
    for (const { routingKey, event, headers, mustBeReceived } of events) {
      channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        mandatory: mustBeReceived,
        messageId: event.id,
        type: event.type,
        contentType: 'application/json',
        timestamp: Math.floor(Date.parse(event.occurredAt) / 1000),
        headers,
      });
    }
    await this.confirmed(channel);
    return events.map(({ event, routingKey }) =>
      this.returned.delete(event.id)
        ? { status: 'unroutable', reason: `no queue is bound to ${exchange} for ${routingKey}` }
        : { status: 'delivered' },
    );
  }

  /**
   * Waits for the broker's confirms, at most AMQP_CONFIRM_TIMEOUT_MS: the relay holds the batch's
   * rows locked in a transaction meanwhile, and a broker that stopped answering (half-open, not
   * yet caught by the heartbeat) must not hold them for ever. Past it the batch fails, so the
   * relay retries it later; the channel is closed (and reopened by its setup), so confirms still
   * owed on it cannot be mistaken for the next batch's. A batch the broker did take is published
   * twice then, which the consumers' inboxes absorb.
   */
  private async confirmed(channel: ConfirmChannel): Promise<void> {
    const timeoutMs = this.amqp.options.confirmTimeoutMs;
    if (timeoutMs === undefined) return channel.waitForConfirms();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        if (this.channel === channel) this.channel = null;
        channel.close().catch(() => undefined);
        reject(new Error(`no broker confirm within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([channel.waitForConfirms(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async openChannel(model: ChannelModel): Promise<ConfirmChannel> {
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) => this.logger.warn(`outbox channel: ${err.message}`));
    channel.on('close', () => {
      if (this.channel === channel) this.channel = null;
    });
    channel.on('return', (message: Message) => {
      if (typeof message.properties.messageId === 'string') this.returned.add(message.properties.messageId);
    });
    await channel.assertExchange(prefixed(this.amqp.options, EVENTS_EXCHANGE), 'topic', { durable: true });
    this.channel = channel;
    this.ready();
    return channel;
  }
}

/** Integration events over RabbitMQ: the microservices shape. */
export class AmqpEventTransport extends EventTransport {
  constructor(private readonly amqp: AmqpConnection) {
    super();
  }

  publisher(): EventPublisher {
    return new AmqpEventPublisher(this.amqp);
  }

  consumer(
    transactions: TransactionRunner,
    options: EventConsumerOptions,
    subscriptions: EventSubscription[],
  ): EventConsumerHandle {
    return new EventConsumer(this.amqp, transactions, options, subscriptions);
  }
}
