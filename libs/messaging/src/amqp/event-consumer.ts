import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ChannelModel, ConfirmChannel, ConsumeMessage, Message } from 'amqplib';
import { TransactionRunner, messagesDeadLettered, messagesRetried } from '@app/platform';
import type { AmqpConnection } from './amqp-connection.js';
import type { IntegrationEvent } from '@app/contracts';
import { BatchLanes } from '../events/batch-lanes.js';
import { handleEvent, handleEvents, type ReceivedEvent } from '../events/handle-event.js';
import { InFlight } from '../in-flight.js';
import { eventFailure } from '../events/event-failure.js';
import { parseEvent, subscriptionsByRoutingKey } from '../events/parse-event.js';
import type { EventConsumerOptions } from '../events/event-consumer-options.js';
import { orderingKeyOf, type EventSubscription } from '../events/event-subscription.js';
import { declareEventTopology, eventQueueNames, type EventQueueNames } from './event-topology.js';

/** Headers this consumer reads and writes on retried and dead-lettered messages. */
export const RetryHeaders = {
  attempt: 'x-attempt',
  routingKey: 'x-original-routing-key',
  lastError: 'x-last-error',
  deathReason: 'x-death-reason',
  attempts: 'x-attempts',
  failedAt: 'x-failed-at',
  consumer: 'x-consumer',
} as const;

const SEND_ID = 'x-send-id';

interface Delivery {
  channel: ConfirmChannel;
  message: ConsumeMessage;
  received: ReceivedEvent;
}

/**
 * Consumes a service's event queue. Per message: validate the envelope and payload against the
 * contract, then in ONE transaction record it in the inbox and run the handler, and ack only
 * after that commits. Messages that arrive together (up to `batchSize`, from what the prefetch
 * lets in) share that transaction; `concurrency` batches run at once, and events with the same
 * ordering key (see `subscribe`) always share a lane, in arrival order, so they never race for
 * the same rows. If a batch fails, its messages are handled again one by one, in order: only the
 * one at fault retries. A handler failure is retried through delay queues with backoff; after
 * `maxAttempts`, or at once for a message that fails validation or has no handler, the message
 * goes to `<queue>.dlq` with headers saying why. Republishing uses confirms, so a message is
 * acked only once its next home has it.
 */
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly names: EventQueueNames;
  private readonly byRoutingKey: Map<string, EventSubscription>;
  private readonly inFlight = new InFlight();
  /** Send ids of retries and dead letters the broker could not route (their queue is gone). */
  private readonly returned = new Set<string>();
  private channel: ConfirmChannel | null = null;
  private readonly lanes: BatchLanes<Delivery>;
  private consumerTag: string | null = null;
  private stopped = false;

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly transactions: TransactionRunner,
    private readonly options: EventConsumerOptions,
    subscriptions: EventSubscription[],
  ) {
    this.names = eventQueueNames(amqp.options, options);
    this.byRoutingKey = subscriptionsByRoutingKey(subscriptions);
    this.lanes = new BatchLanes(options.concurrency, options.batchSize, this.inFlight, (batch) =>
      this.handleBatch(batch),
    );
  }

  get queueNames(): EventQueueNames {
    return this.names;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.amqp.addSetup((model) => this.consume(model));
  }

  /** Stops taking messages and waits for those in hand to be acked (or left for redelivery). */
  async stop(): Promise<void> {
    this.stopped = true;
    const channel = this.channel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    await this.inFlight.settled();
  }

  private async consume(model: ChannelModel): Promise<ConfirmChannel | void> {
    if (this.stopped) return;
    await declareEventTopology(
      model,
      this.names,
      this.options,
      [...this.byRoutingKey.keys()],
      this.amqp.options.deliveryLimit,
    );
    const channel = await model.createConfirmChannel();
    channel.on('error', (err: Error) => this.logger.warn(`event channel ${this.names.queue}: ${err.message}`));
    await channel.prefetch(this.amqp.options.prefetch);
    channel.on('return', (message: Message) => {
      const sendId = message.properties.headers?.[SEND_ID] as string | undefined;
      if (sendId) this.returned.add(sendId);
    });
    const { consumerTag } = await channel.consume(
      this.names.queue,
      // null: the broker cancelled the consumer (queue deleted); closing makes it re-declare.
      (message) => (message ? this.track(channel, message) : void channel.close().catch(() => undefined)),
      { noAck: false },
    );
    this.channel = channel;
    this.consumerTag = consumerTag;
    return channel;
  }

  private track(channel: ConfirmChannel, message: ConsumeMessage): void {
    let subscription: EventSubscription;
    let event: IntegrationEvent;
    try {
      [subscription, event] = parseEvent(this.byRoutingKey, this.routingKeyOf(message), message.content);
    } catch {
      void this.inFlight.track(this.handleAlone(channel, message, null)); // refused by its contract: dead-lettered
      return;
    }
    const headers = message.properties.headers ?? {};
    this.lanes.push(orderingKeyOf(subscription, event), {
      channel,
      message,
      received: { subscription, event, headers },
    });
  }

  /** One transaction for the batch, acks after it commits; if it fails, each message on its own, in order. */
  private async handleBatch(batch: Delivery[]): Promise<void> {
    if (batch.length === 1) return this.handleAlone(batch[0]!.channel, batch[0]!.message, batch[0]!.received);
    try {
      await handleEvents(
        this.transactions,
        this.options.queue,
        batch.map((delivery) => delivery.received),
      );
    } catch {
      // One by one, in the lane's order: the ordering key's promise holds on this path too.
      for (const d of batch) await this.handleAlone(d.channel, d.message, d.received);
      return;
    }
    for (const { channel, message } of batch) {
      try {
        channel.ack(message);
      } catch (error) {
        this.leftForRedelivery(error);
      }
    }
  }

  private handleAlone(channel: ConfirmChannel, message: ConsumeMessage, received: ReceivedEvent | null): Promise<void> {
    return this.handle(channel, message, received).catch((error: unknown) => this.leftForRedelivery(error));
  }

  /** Could not ack, retry or dead-letter (channel gone): the broker redelivers. */
  private leftForRedelivery(error: unknown): void {
    this.logger.warn(`event left for redelivery: ${error instanceof Error ? error.message : String(error)}`);
  }

  private routingKeyOf(message: ConsumeMessage): string {
    return String(message.properties.headers?.[RetryHeaders.routingKey] ?? message.fields.routingKey);
  }

  /** One message in its own transaction; `received` is null when it did not pass its contract. */
  private async handle(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    received: ReceivedEvent | null,
  ): Promise<void> {
    const headers = message.properties.headers ?? {};
    const attempt = Number(headers[RetryHeaders.attempt] ?? 1);
    const routingKey = this.routingKeyOf(message);
    try {
      const [subscription, event] = received
        ? [received.subscription, received.event]
        : parseEvent(this.byRoutingKey, routingKey, message.content);
      await handleEvent(this.transactions, this.options.queue, subscription, event, headers);
      channel.ack(message);
    } catch (error) {
      const failure = eventFailure(error, attempt, this.options);
      if (failure.action === 'dead-letter') {
        await this.deadLetter(channel, message, routingKey, attempt, failure.reason);
        messagesDeadLettered.inc({ queue: this.options.queue, reason: failure.cause });
      } else {
        messagesRetried.inc({ queue: this.options.queue });
        if (!(await this.retry(channel, message, routingKey, failure.counts ? attempt + 1 : attempt, failure))) return;
      }
      channel.ack(message);
    }
  }

  /**
   * Sends the message to the delay queue of its backoff, as attempt `next`. False when there is
   * no delay queue (EVENTS_MAX_ATTEMPTS=1 and the database was away): then it is handed back to
   * the queue after the delay instead, and must not be acked.
   */
  private async retry(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    routingKey: string,
    next: number,
    { reason, delayMs }: { reason: string; delayMs: number },
  ): Promise<boolean> {
    const attempt = Number(message.properties.headers?.[RetryHeaders.attempt] ?? 1);
    this.logger.warn(`${this.names.queue}: attempt ${attempt} of ${routingKey} failed, retrying: ${reason}`);
    const { retries } = this.names;
    if (retries.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      channel.nack(message, false, true);
      return false;
    }
    await this.send(channel, retries[Math.min(attempt, retries.length) - 1]!, message, {
      [RetryHeaders.attempt]: next,
      [RetryHeaders.routingKey]: routingKey,
      [RetryHeaders.lastError]: reason.slice(0, 1000),
    });
    return true;
  }

  private async deadLetter(
    channel: ConfirmChannel,
    message: ConsumeMessage,
    routingKey: string,
    attempts: number,
    reason: string,
  ): Promise<void> {
    this.logger.error(`${this.names.queue}: dead-lettering ${routingKey} after ${attempts} attempt(s): ${reason}`);
    await this.send(channel, this.names.deadLetter, message, {
      [RetryHeaders.routingKey]: routingKey,
      [RetryHeaders.deathReason]: reason.slice(0, 1000),
      [RetryHeaders.attempts]: attempts,
      [RetryHeaders.failedAt]: new Date().toISOString(),
      [RetryHeaders.consumer]: this.options.queue,
    });
  }

  private send(
    channel: ConfirmChannel,
    queue: string,
    message: ConsumeMessage,
    extraHeaders: Record<string, unknown>,
  ): Promise<void> {
    const { properties } = message;
    const sendId = randomUUID();
    return new Promise((resolve, reject) => {
      channel.sendToQueue(
        queue,
        message.content,
        {
          persistent: true,
          // mandatory: a retry or dead-letter queue that vanished must not swallow the message
          mandatory: true,
          messageId: properties.messageId as string | undefined,
          type: properties.type as string | undefined,
          contentType: properties.contentType as string | undefined,
          timestamp: properties.timestamp as number | undefined,
          headers: { ...properties.headers, ...extraHeaders, [SEND_ID]: sendId },
        },
        (err: unknown) => {
          // The broker returns an unroutable message before it confirms it.
          if (this.returned.delete(sendId)) reject(new Error(`queue ${queue} does not exist`));
          else if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else resolve();
        },
      );
    });
  }
}
