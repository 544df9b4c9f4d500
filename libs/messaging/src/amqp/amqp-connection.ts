import { Logger } from '@nestjs/common';
import { connect, type Channel, type ChannelModel, type RecoveringChannelModel } from 'amqplib';
import type { AmqpOptions } from './amqp-options.js';

/**
 * Opens what one user of the connection needs (a channel, its topology, its consumer) and
 * returns that channel, so it can be reopened if the broker closes it alone.
 */
export type ChannelSetup = (model: ChannelModel) => Promise<Channel | void>;

const REOPEN_DELAY_MS = 1000;

/**
 * One AMQP connection per process, shared by every consumer and publisher in it.
 * amqplib's own recovery reconnects with backoff; after every reconnect the registered setups
 * run again. A channel the broker closes on its own (a deleted queue, a channel error) is
 * reopened by re-running its setup, so no consumer or publisher is silently left without one.
 * Nagle is off: with manual acks it stalls each message ~40 ms.
 */
export class AmqpConnection {
  private readonly logger = new Logger(AmqpConnection.name);
  private readonly setups: ChannelSetup[] = [];
  private model: RecoveringChannelModel | null = null;
  private current: ChannelModel | null = null;
  private closing = false;
  private failure: string | null = null;

  constructor(readonly options: AmqpOptions) {}

  get isConnected(): boolean {
    return this.current !== null;
  }

  /** Why the connection is down (the last error), or null while it is up. */
  get lastError(): string | null {
    return this.current ? null : this.failure;
  }

  /** Registers work to (re)do on every connection; runs at once if already connected. */
  async addSetup(setup: ChannelSetup): Promise<void> {
    this.setups.push(setup);
    if (this.current) await this.runSetup(setup, this.current);
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
          // amqplib watches a new connection (errors, close) only once the setup has resolved. A
          // reset during the setup (declaring queues, consuming) was an unhandled 'error' that
          // ended the process; and a connection closed then was adopted as if alive, never to
          // reconnect (no consumers, readiness still up). Seen under the fault suite's resets.
          let lost: Error | null = null;
          connected.on('error', () => undefined);
          connected.once('close', (error?: Error) => (lost = error ?? new Error('connection closed during setup')));
          this.current = connected;
          for (const setup of this.setups) {
            // One failing setup must not keep the others (and the connection) down.
            await this.runSetup(setup, connected).catch((error: unknown) => this.retryLater(setup, connected, error));
          }
          // Failing the setup makes amqplib drop this connection and schedule a reconnect.
          if (lost) throw lost;
        },
      },
    });
    this.model = model;
    model.on('disconnect', (err: Error) => {
      this.current = null;
      this.failure = err.message;
      if (!this.closing) this.logger.warn(`RabbitMQ connection lost: ${err.message}`);
    });
    model.on('connect', () => this.logger.log('RabbitMQ connected'));
    model.on('reconnect-scheduled', ({ attempt, delay, error }: { attempt: number; delay: number; error?: Error }) => {
      if (error) this.failure = error.message;
      if (attempt === 1 || attempt % 10 === 0) {
        this.logger.warn(`RabbitMQ unreachable, retry ${attempt} in ${delay} ms${error ? `: ${error.message}` : ''}`);
      }
    });
    model.on('error', (err: Error) => {
      this.failure = err.message;
      this.logger.warn(`RabbitMQ error: ${err.message}`);
    });
    await model.waitForConnect();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.current = null;
    const model = this.model;
    this.model = null;
    await model?.close().catch(() => undefined);
  }

  private async runSetup(setup: ChannelSetup, model: ChannelModel): Promise<void> {
    const channel = await setup(model);
    if (!channel) return;
    let failed: Error | null = null;
    channel.once('error', (error: Error) => (failed = error));
    channel.once('close', () => {
      if (this.closing || this.current !== model) return; // the reconnect re-runs every setup
      // A broker error closed it (or its consumer was cancelled): set it up again. A channel its
      // owner closed on purpose is not reopened: the owner's setup then returns nothing.
      if (failed) this.logger.warn(`a channel was closed by the broker (${failed.message}); reopening it`);
      this.retryLater(setup, model);
    });
  }

  private retryLater(setup: ChannelSetup, model: ChannelModel, error?: unknown): void {
    if (error)
      this.logger.error(`RabbitMQ setup failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
    setTimeout(() => {
      if (this.closing || this.current !== model) return;
      this.runSetup(setup, model).catch((err: unknown) => this.retryLater(setup, model, err));
    }, REOPEN_DELAY_MS).unref();
  }

  private urlWithHeartbeat(): string {
    const url = new URL(this.options.url);
    if (!url.searchParams.has('heartbeat')) {
      url.searchParams.set('heartbeat', String(this.options.heartbeatSeconds));
    }
    return url.toString();
  }
}
