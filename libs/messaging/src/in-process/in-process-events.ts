import { Logger } from '@nestjs/common';
import { messagesDeadLettered, messagesRetried, type TransactionRunner } from '@app/platform';
import type { EventConsumerOptions } from '../events/event-consumer-options.js';
import { eventFailure } from '../events/event-failure.js';
import { orderingKeyOf, type EventSubscription } from '../events/event-subscription.js';
import {
  EventTransport,
  type DeliveryResult,
  type EventConsumerHandle,
  type EventPublisher,
  type OutgoingEvent,
} from '../events/event-transport.js';
import type { IntegrationEvent } from '@app/contracts';
import { BatchLanes } from '../events/batch-lanes.js';
import { handleEvent, handleEvents, type ReceivedEvent } from '../events/handle-event.js';
import { parseEvent, subscriptionsByRoutingKey } from '../events/parse-event.js';
import { InFlight } from '../in-flight.js';
import { recordDeadLetter } from './dead-letters.js';
import type { EventDeliver, InProcessBroker, InProcessMessage } from './in-process-broker.js';

interface Offer {
  routingKey: string;
  message: InProcessMessage;
  attempt: number;
  received: ReceivedEvent;
  answer: (result: DeliveryResult) => void;
  fail: (error: unknown) => void;
}

/** Offers each event to the consumers bound to it; the answers decide what the relay does with the row. */
class InProcessEventPublisher implements EventPublisher {
  constructor(
    private readonly broker: InProcessBroker,
    readonly concurrency: number,
  ) {}

  get isReady(): boolean {
    return this.broker.isOpen;
  }

  async start(ready: () => void): Promise<void> {
    this.broker.onOpen(ready);
  }

  publish(events: OutgoingEvent[]): Promise<DeliveryResult[]> {
    return Promise.all(
      events.map(({ routingKey, event, headers, attempt, mustBeReceived }) =>
        this.broker.publish(
          routingKey,
          { body: JSON.stringify(event), headers, messageId: event.id },
          attempt,
          mustBeReceived,
        ),
      ),
    );
  }
}

/**
 * The in-process twin of the RabbitMQ `EventConsumer`, with the same rules: the contract is
 * checked (`parseEvent`), the inbox and the handler's effects commit together (`handleEvent`),
 * a failure is retried after the same backoff, and after `maxAttempts`, or at once for a
 * message that can never succeed, it is dead-lettered: here into the consumer's own
 * `dead_letters` table, with the reason and the attempts, instead of `<queue>.dlq`. Events
 * offered together share a transaction on the same lanes (`BatchLanes`, `orderingKey`).
 */
class InProcessEventConsumer implements EventConsumerHandle {
  private readonly logger = new Logger(InProcessEventConsumer.name);
  private readonly byRoutingKey: Map<string, EventSubscription>;
  private readonly inFlight = new InFlight();
  private readonly lanes: BatchLanes<Offer>;
  private readonly deliver: EventDeliver = (routingKey, message, attempt) => this.offer(routingKey, message, attempt);

  constructor(
    private readonly broker: InProcessBroker,
    private readonly transactions: TransactionRunner,
    private readonly options: EventConsumerOptions,
    subscriptions: EventSubscription[],
  ) {
    this.byRoutingKey = subscriptionsByRoutingKey(subscriptions);
    this.lanes = new BatchLanes(options.concurrency, options.batchSize, this.inFlight, (batch) =>
      this.handleBatch(batch),
    );
  }

  async start(): Promise<void> {
    this.broker.consume(this.options.queue, [...this.byRoutingKey.keys()], this.deliver);
  }

  async stop(): Promise<void> {
    this.broker.detach(this.options.queue, this.deliver);
    await this.inFlight.settled();
  }

  private offer(routingKey: string, message: InProcessMessage, attempt: number): Promise<DeliveryResult> {
    let subscription: EventSubscription;
    let event: IntegrationEvent;
    try {
      [subscription, event] = parseEvent(this.byRoutingKey, routingKey, message.body);
    } catch {
      return this.inFlight.track(this.handle(routingKey, message, attempt, null)); // dead-lettered
    }
    return new Promise((answer, fail) => {
      const received = { subscription, event, headers: message.headers };
      this.lanes.push(orderingKeyOf(subscription, event), { routingKey, message, attempt, received, answer, fail });
    });
  }

  /** One transaction for the batch; if it fails, each event on its own, so only the one at fault retries. */
  private async handleBatch(batch: Offer[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await handleEvents(
          this.transactions,
          this.options.queue,
          batch.map((offer) => offer.received),
        );
        for (const offer of batch) offer.answer({ status: 'delivered' });
        return;
      } catch {
        // handled again below, one by one
      }
    }
    // One by one, in the lane's order: the ordering key's promise holds on this path too.
    for (const o of batch) await this.handle(o.routingKey, o.message, o.attempt, o.received).then(o.answer, o.fail);
  }

  /** One event in its own transaction; `received` is null when it did not pass its contract. */
  private async handle(
    routingKey: string,
    message: InProcessMessage,
    attempt: number,
    received: ReceivedEvent | null,
  ): Promise<DeliveryResult> {
    const queue = this.options.queue;
    try {
      const [subscription, event] = received
        ? [received.subscription, received.event]
        : parseEvent(this.byRoutingKey, routingKey, message.body);
      await handleEvent(this.transactions, queue, subscription, event, message.headers);
      return { status: 'delivered' };
    } catch (error) {
      const failure = eventFailure(error, attempt, this.options);
      const { reason } = failure;
      if (failure.action === 'retry') {
        this.logger.warn(`${queue}: attempt ${attempt} of ${routingKey} failed, retrying: ${reason}`);
        messagesRetried.inc({ queue });
        // attempted: false when the database was away: the outbox does not count it as a try.
        return { status: 'retry', delayMs: failure.delayMs, reason, attempted: failure.counts };
      }
      this.logger.error(`${queue}: dead-lettering ${routingKey} after ${attempt} attempt(s): ${reason}`);
      await recordDeadLetter(this.transactions, { consumer: queue, routingKey, message, attempts: attempt, reason });
      messagesDeadLettered.inc({ queue, reason: failure.cause });
      return { status: 'delivered' };
    }
  }
}

/** Integration events in process: the modular monolith's shape. */
export class InProcessEventTransport extends EventTransport {
  /**
   * `relayConcurrency`: batches delivered at once. A batch is delivered while its claim holds a
   * producer connection, and its consumers' transactions need connections of their own (of the
   * other context, which may be delivering to this one): keep it below the pool size, or two
   * relays can wait on each other's pools for good. See `relayConcurrencyFor`.
   */
  constructor(
    private readonly broker: InProcessBroker,
    private readonly relayConcurrency = 1,
  ) {
    super();
  }

  publisher(): EventPublisher {
    return new InProcessEventPublisher(this.broker, this.relayConcurrency);
  }

  consumer(
    transactions: TransactionRunner,
    options: EventConsumerOptions,
    subscriptions: EventSubscription[],
  ): EventConsumerHandle {
    return new InProcessEventConsumer(this.broker, transactions, options, subscriptions);
  }
}

/**
 * Up to 4 batches in flight, always leaving a pool connection for the consumers: a delivery is
 * a whole transaction (the handler's), far slower than a broker's confirm, so one batch at a
 * time would make every event wait for the batch before it.
 */
export function relayConcurrencyFor(poolSize: number): number {
  return Math.max(1, Math.min(4, poolSize - 1));
}
