import { Logger } from '@nestjs/common';
import { RmqContext, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { AmqpConnection } from './amqp-connection.js';
import { InFlight } from '../in-flight.js';
import { answerRpc } from '../rpc/rpc-dispatch.js';

/**
 * Serves the `@MessagePattern` handlers of one app from its durable `<context>.rpc` queue.
 * The pattern travels in the AMQP `type` property, the request as plain JSON. Each request
 * is acked only after its reply is handed to the broker; prefetch bounds the work in flight.
 * A request that fails is answered with `{ code, message }`, never left unacked.
 */
export class AmqpRpcServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(AmqpRpcServer.name);
  private channel: Channel | null = null;
  private consumerTag: string | null = null;
  private readonly inFlight = new InFlight();
  private stopped = false;

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly queue: string,
  ) {
    super();
  }

  listen(callback: (err?: unknown) => void): void {
    this.amqp
      .addSetup((model) => this.consume(model))
      .then(() => this.amqp.start())
      .then(() => callback(), callback);
  }

  /** Stops taking requests and waits for the ones in flight to be answered. */
  async close(): Promise<void> {
    this.stopped = true;
    const channel = this.channel;
    if (channel && this.consumerTag) await channel.cancel(this.consumerTag).catch(() => undefined);
    await this.inFlight.settled();
    this.channel = null;
    await channel?.close().catch(() => undefined);
  }

  on(): never {
    throw new Error('AmqpRpcServer does not emit events');
  }

  unwrap<T>(): T {
    return this.channel as T;
  }

  private async consume(model: ChannelModel): Promise<Channel | void> {
    if (this.stopped) return;
    const channel = await model.createChannel();
    channel.on('error', (err: Error) => this.logger.warn(`RPC server channel: ${err.message}`));
    // A classic queue, unlike the event queues: a request lives no longer than its caller's
    // deadline (its expiration), so a quorum queue's replicated, fsynced log buys nothing, and it
    // halved read throughput in the bench (RabbitMQ's CPU per request doubled).
    await channel.assertQueue(this.queue, { durable: true });
    await channel.prefetch(this.amqp.options.rpcPrefetch);
    const { consumerTag } = await channel.consume(
      this.queue,
      // null: the broker cancelled the consumer (queue deleted); closing makes it re-declare.
      (message) =>
        message ? void this.inFlight.track(this.handle(channel, message)) : void channel.close().catch(() => undefined),
      { noAck: false },
    );
    this.channel = channel;
    this.consumerTag = consumerTag;
    return channel;
  }

  private async handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const { properties } = message;
    const pattern = String(properties.type ?? '');
    const reply = await answerRpc(
      this,
      {
        pattern,
        body: message.content,
        headers: properties.headers ?? {},
        messageId: (properties.messageId as string | undefined) ?? null,
        context: new RmqContext([message, channel, pattern]),
      },
      this.logger,
    );
    try {
      if (properties.replyTo) {
        channel.sendToQueue(properties.replyTo as string, Buffer.from(JSON.stringify(reply)), {
          correlationId: properties.correlationId as string,
          contentType: 'application/json',
        });
      }
      channel.ack(message);
    } catch (error) {
      // The channel died mid-reply: the broker redelivers the request to a live consumer.
      this.logger.warn(`could not answer ${pattern}: ${String(error)}`);
    }
  }
}
