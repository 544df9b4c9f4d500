import { Logger } from '@nestjs/common';
import type { DeliveryResult } from '../events/event-transport.js';

/** A request or event as it crosses the broker: text, so nothing is shared by reference. */
export interface InProcessMessage {
  body: string;
  headers: Record<string, unknown>;
  messageId: string;
}

export type RpcServe = (pattern: string, message: InProcessMessage) => Promise<string>;

export type EventDeliver = (routingKey: string, message: InProcessMessage, attempt: number) => Promise<DeliveryResult>;

/** When a bound consumer is not running (starting or stopping), the relay offers the event again after this. */
const CONSUMER_AWAY_RETRY_MS = 1000;

/**
 * The modular monolith's message broker: RabbitMQ's role, in process. RPC queues are served by
 * one server each; events are routed by exact routing key to the consumers bound to it.
 *
 * It holds no message itself: an event is offered straight from its producer's outbox row, and
 * the row is marked published only once every bound consumer answered `delivered`, so the
 * outbox is the durable queue. Bindings outlive their consumer (as a durable queue does): an
 * event for a consumer that is stopped waits in the outbox instead of being dropped.
 */
export class InProcessBroker {
  private readonly logger = new Logger(InProcessBroker.name);
  private readonly servers = new Map<string, RpcServe>();
  private readonly bindings = new Map<string, Set<string>>();
  private readonly consumers = new Map<string, EventDeliver>();
  private readonly openListeners = new Set<() => void>();
  private opened = false;

  /** True once the host opened it: every context is started and bound, so no event can miss its consumer. */
  get isOpen(): boolean {
    return this.opened;
  }

  open(): void {
    this.opened = true;
    this.logger.log(
      `open: RPC queues [${[...this.servers.keys()].join(', ')}], consumers [${[...this.consumers.keys()].join(', ')}]`,
    );
    for (const listener of this.openListeners) listener();
  }

  onOpen(listener: () => void): void {
    this.openListeners.add(listener);
  }

  serve(queue: string, serve: RpcServe): void {
    if (this.servers.has(queue)) throw new Error(`${queue} is served already`);
    this.servers.set(queue, serve);
  }

  unserve(queue: string): void {
    this.servers.delete(queue);
  }

  isServed(queue: string): boolean {
    return this.servers.has(queue);
  }

  /** Rejects with `NotServedError` when no server takes the queue (a service that is not running). */
  request(queue: string, pattern: string, message: InProcessMessage): Promise<string> {
    const serve = this.servers.get(queue);
    if (!serve) return Promise.reject(new NotServedError(queue));
    return serve(pattern, message);
  }

  /** Binds `consumer` to routing keys for good, and attaches its handler until `detach`. */
  consume(consumer: string, routingKeys: string[], deliver: EventDeliver): void {
    for (const key of routingKeys) {
      const bound = this.bindings.get(key) ?? new Set<string>();
      bound.add(consumer);
      this.bindings.set(key, bound);
    }
    this.consumers.set(consumer, deliver);
  }

  /** Detaches `deliver` (not a newer handler that took the same name meanwhile). */
  detach(consumer: string, deliver: EventDeliver): void {
    if (this.consumers.get(consumer) === deliver) this.consumers.delete(consumer);
  }

  /**
   * Offers an event to every consumer bound to its routing key, each in its own transaction.
   * An event nobody is bound to is `unroutable` if some context must receive it (the relay
   * parks it, as with RabbitMQ's `mandatory`), else dropped, as a topic exchange drops it.
   */
  async publish(
    routingKey: string,
    message: InProcessMessage,
    attempt: number,
    mustBeReceived = true,
  ): Promise<DeliveryResult> {
    const bound = [...(this.bindings.get(routingKey) ?? [])];
    if (bound.length === 0 && mustBeReceived) {
      return { status: 'unroutable', reason: `no consumer is bound to ${routingKey}` };
    }
    const results = await Promise.all(
      bound.map(async (consumer): Promise<DeliveryResult> => {
        const deliver = this.consumers.get(consumer);
        if (!deliver) {
          return {
            status: 'retry',
            delayMs: CONSUMER_AWAY_RETRY_MS,
            reason: `${consumer} is not running`,
            attempted: false,
          };
        }
        try {
          return await deliver(routingKey, { ...message, headers: { ...message.headers } }, attempt);
        } catch (error) {
          return { status: 'retry', delayMs: CONSUMER_AWAY_RETRY_MS, reason: describe(error) };
        }
      }),
    );
    const retries = results.filter((r): r is Extract<DeliveryResult, { status: 'retry' }> => r.status === 'retry');
    if (retries.length === 0) return { status: 'delivered' };
    // A consumer that did handle it will find it in its inbox next time: redelivery is harmless.
    return {
      status: 'retry',
      delayMs: Math.min(...retries.map((r) => r.delayMs)),
      reason: retries.map((r) => r.reason).join('; '),
      attempted: retries.some((r) => r.attempted !== false),
    };
  }
}

export class NotServedError extends Error {
  constructor(readonly queue: string) {
    super(`nothing serves ${queue}: the service is not running`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
