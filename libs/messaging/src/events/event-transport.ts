import type { IntegrationEvent } from '@app/contracts';
import type { TransactionRunner } from '@app/platform';
import type { EventConsumerOptions } from './event-consumer-options.js';
import type { EventSubscription } from './event-subscription.js';

/** One committed outbox row on its way to consumers. */
export interface OutgoingEvent {
  routingKey: string;
  event: IntegrationEvent;
  /** Correlation, causation and the trace context of the relay's producer span. */
  headers: Record<string, unknown>;
  /** 1 at first, then one more per attempt that failed (offers no handler saw do not count). */
  attempt: number;
  /** Its contract says some context must receive it: with no queue bound, it is `unroutable`. */
  mustBeReceived: boolean;
}

/**
 * Per event: now safe beyond the outbox, or to be offered again after `delayMs`. `attempted:
 * false` when no handler ran (its consumer was not running): that does not use up a retry.
 */
export type DeliveryResult =
  | { status: 'delivered' }
  | { status: 'retry'; delayMs: number; reason: string; attempted?: boolean }
  /** No queue is bound for it (deploy order, a changed prefix, a deleted binding): the relay parks it. */
  | { status: 'unroutable'; reason: string };

/** Where the outbox relay hands committed events to. */
export interface EventPublisher {
  readonly isReady: boolean;
  /**
   * Batches the relay may have in flight at once. Each holds a database connection of the
   * producer while it is delivered, so it must stay below the pool size.
   */
  readonly concurrency: number;
  /** Prepares it; `ready` is called whenever it (again) can publish, so the relay drains at once. */
  start(ready: () => void): Promise<void>;
  /**
   * Hands a batch over; resolves, per event, once it is safe beyond the outbox (broker confirm,
   * or every consumer's commit). Throws when the whole batch failed: the relay backs off.
   */
  publish(events: OutgoingEvent[]): Promise<DeliveryResult[]>;
}

/** A service's consumer of the events its contexts subscribed to. */
export interface EventConsumerHandle {
  start(): Promise<void>;
  /** Stops taking events and waits for those in hand to finish. */
  stop(): Promise<void>;
}

/**
 * How a host carries integration events: over RabbitMQ (microservices) or in process (the
 * modular monolith). Contexts never see it; only `EventsModule` does.
 */
export abstract class EventTransport {
  abstract publisher(): EventPublisher;
  abstract consumer(
    transactions: TransactionRunner,
    options: EventConsumerOptions,
    subscriptions: EventSubscription[],
  ): EventConsumerHandle;
}
