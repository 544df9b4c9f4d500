import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Channel, ChannelModel, ConsumeMessage, Message } from 'amqplib';
import type { RpcReply } from '@app/contracts';
import type { AmqpConnection } from './amqp-connection.js';
import { RpcClient, inClientSpan, rpcRequestHeaders, type RpcCallOptions } from '../rpc/rpc-client.js';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError } from '../rpc/rpc-errors.js';

const REPLY_TO = 'amq.rabbitmq.reply-to';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * RPC over RabbitMQ with direct reply-to: no reply queue to declare or clean up, one channel
 * for all calls, replies matched by correlation id. Requests expire in the queue when their
 * caller has stopped waiting, and are `mandatory`, so a missing service queue fails at once
 * instead of timing out.
 */
export class AmqpRpcClient extends RpcClient {
  private readonly logger = new Logger(AmqpRpcClient.name);
  private readonly pending = new Map<string, Pending>();
  private channel: Channel | null = null;

  constructor(
    private readonly amqp: AmqpConnection,
    private readonly queue: string,
    private readonly defaultTimeoutMs: number,
  ) {
    super();
  }

  get isReady(): boolean {
    return this.channel !== null && this.amqp.isConnected;
  }

  async init(): Promise<void> {
    await this.amqp.addSetup((model) => this.openChannel(model));
  }

  send(pattern: string, request: unknown, options: RpcCallOptions = {}): Promise<unknown> {
    return inClientSpan(pattern, this.queue, () => this.request(pattern, request, options));
  }

  private request(pattern: string, request: unknown, options: RpcCallOptions): Promise<unknown> {
    const channel = this.channel;
    if (!channel || !this.amqp.isConnected) {
      return Promise.reject(new RpcUnavailableError(this.queue, 'broker connection is down'));
    }
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const correlationId = randomUUID();
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new RpcTimeoutError(pattern, timeoutMs));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer });
      try {
        channel.sendToQueue(this.queue, Buffer.from(JSON.stringify(request)), {
          type: pattern,
          correlationId,
          replyTo: REPLY_TO,
          messageId: correlationId,
          contentType: 'application/json',
          expiration: String(timeoutMs),
          mandatory: true,
          headers: rpcRequestHeaders(correlationId),
        });
      } catch (error) {
        this.settle(correlationId, (p) => p.reject(new RpcUnavailableError(this.queue, String(error))));
      }
    });
  }

  private async openChannel(model: ChannelModel): Promise<Channel> {
    const channel = await model.createChannel();
    channel.on('error', (err: Error) => this.logger.warn(`RPC channel error: ${err.message}`));
    channel.on('close', () => {
      if (this.channel === channel) this.channel = null;
      this.failAll('broker connection lost');
    });
    channel.on('return', (message: Message) => {
      this.settle(message.properties.correlationId as string, (p) =>
        p.reject(new RpcUnavailableError(this.queue, 'no queue bound: service never started')),
      );
    });
    await channel.consume(REPLY_TO, (message) => message && this.onReply(message), { noAck: true });
    this.channel = channel;
    return channel;
  }

  private onReply(message: ConsumeMessage): void {
    this.settle(message.properties.correlationId as string, (p) => {
      let reply: RpcReply<unknown>;
      try {
        reply = JSON.parse(message.content.toString('utf8')) as RpcReply<unknown>;
      } catch {
        p.reject(new Error('RPC reply is not JSON'));
        return;
      }
      if (reply.ok) p.resolve(reply.data);
      else p.reject(new RpcRemoteError(reply.error));
    });
  }

  private settle(correlationId: string, action: (pending: Pending) => void): void {
    const pending = this.pending.get(correlationId);
    if (!pending) return; // timed out already, or a reply for another process's call
    this.pending.delete(correlationId);
    clearTimeout(pending.timer);
    action(pending);
  }

  private failAll(reason: string): void {
    for (const id of [...this.pending.keys()]) {
      this.settle(id, (p) => p.reject(new RpcUnavailableError(this.queue, reason)));
    }
  }
}
