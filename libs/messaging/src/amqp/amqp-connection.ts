import { Logger } from '@nestjs/common';
import { connect, type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import type { AmqpOptions } from './amqp-options.js';

type Setup = (model: ChannelModel) => Promise<void>;

/**
 * One AMQP connection per process, shared by every consumer and publisher in it.
 * amqplib's own recovery reconnects with backoff and replays the registered setups
 * (channels, topology, consumers) after every reconnect. Nagle is off: with manual acks it
 * stalls each message ~40 ms.
 */
export class AmqpConnection {
  private readonly logger = new Logger(AmqpConnection.name);
  private readonly setups: Setup[] = [];
  private model: RecoveringChannelModel | null = null;
  private current: ChannelModel | null = null;
  private closing = false;

  constructor(readonly options: AmqpOptions) {}

  get isConnected(): boolean {
    return this.current !== null;
  }

  /** Registers work to (re)do on every connection; runs at once if already connected. */
  async addSetup(setup: Setup): Promise<void> {
    this.setups.push(setup);
    if (this.current) await setup(this.current);
  }

  /** Starts connecting; resolves at the first connection, and keeps reconnecting after it. */
  async start(): Promise<void> {
    if (this.model) return this.model.waitForConnect().then(() => undefined);
    this.closing = false;
    const model = await connect(this.urlWithHeartbeat(), {
      noDelay: true,
      clientProperties: { connection_name: this.options.connectionName },
      recovery: {
        initialDelay: 200,
        maxDelay: 5000,
        maxRetries: Infinity,
        waitForConnect: false,
        setup: async (connected: ChannelModel) => {
          for (const setup of this.setups) await setup(connected);
          this.current = connected;
        },
      },
    });
    this.model = model;
    model.on('disconnect', (err: Error) => {
      this.current = null;
      if (!this.closing) this.logger.warn(`RabbitMQ connection lost: ${err.message}`);
    });
    model.on('connect', () => this.logger.log('RabbitMQ connected'));
    model.on('reconnect-scheduled', ({ attempt, delay }: { attempt: number; delay: number }) => {
      if (attempt === 1 || attempt % 10 === 0) {
        this.logger.warn(`RabbitMQ unreachable, retry ${attempt} in ${delay} ms`);
      }
    });
    model.on('error', (err: Error) => this.logger.warn(`RabbitMQ error: ${err.message}`));
    await model.waitForConnect();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.current = null;
    const model = this.model;
    this.model = null;
    await model?.close().catch(() => undefined);
  }

  private urlWithHeartbeat(): string {
    const url = new URL(this.options.url);
    if (!url.searchParams.has('heartbeat')) {
      url.searchParams.set('heartbeat', String(this.options.heartbeatSeconds));
    }
    return url.toString();
  }
}
