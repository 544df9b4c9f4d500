import {
  Global,
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { DependencyGate, TransactionRunner, type ServiceEnv } from '@app/platform';
import type { OutboxRelayOptions } from '../outbox/outbox-options.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { OutboxSignal } from '../outbox/outbox-signal.js';
import { OutboxWriter } from '../outbox/outbox-writer.js';
import type { EventConsumerOptions } from './event-consumer-options.js';
import { EventSubscriptions } from './event-subscriptions.js';
import { EventTransport, type EventConsumerHandle } from './event-transport.js';

export interface EventsModuleOptions {
  relay: OutboxRelayOptions;
  consumer: EventConsumerOptions;
}

interface FactoryOf<T> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  useFactory: (...args: never[]) => T;
}

const EVENTS_OPTIONS = Symbol('EVENTS_OPTIONS');

/**
 * Integration events of a service: the outbox writer its repositories use, the relay that
 * hands committed rows to the transport, and the consumer of its events with whatever handlers
 * its contexts registered in `EventSubscriptions`. The transport (RabbitMQ, or in process in
 * the modular monolith) is the host's choice.
 */
@Global()
@Module({})
export class EventsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer: EventConsumerHandle | null = null;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly subscriptions: EventSubscriptions,
    private readonly transport: EventTransport,
    private readonly transactions: TransactionRunner,
    @Inject(EVENTS_OPTIONS) private readonly options: EventsModuleOptions,
    private readonly gate: DependencyGate,
  ) {}

  static forRootAsync(
    options: FactoryOf<EventsModuleOptions> & { transport: FactoryOf<EventTransport> },
  ): DynamicModule {
    return {
      module: EventsModule,
      providers: [
        { provide: EVENTS_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: EventTransport, inject: options.transport.inject ?? [], useFactory: options.transport.useFactory },
        OutboxSignal,
        OutboxWriter,
        EventSubscriptions,
        {
          provide: OutboxRelay,
          inject: [DataSource, EventTransport, OutboxSignal, EVENTS_OPTIONS],
          useFactory: (
            dataSource: DataSource,
            transport: EventTransport,
            signal: OutboxSignal,
            opts: EventsModuleOptions,
          ) => new OutboxRelay(dataSource, transport.publisher(), signal, opts.relay),
        },
      ],
      exports: [OutboxWriter, EventSubscriptions, OutboxRelay],
    };
  }

  /** Relay and consumer start once the gate opens: on a migrated database, after every handler registered. */
  onApplicationBootstrap(): void {
    this.gate.whenOpen('events', () => this.start());
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.relay.stop();
  }

  private async start(): Promise<void> {
    await this.relay.start();
    const subscriptions = this.subscriptions.all();
    if (subscriptions.length === 0) return;
    this.consumer = this.transport.consumer(this.transactions, this.options.consumer, subscriptions);
    await this.consumer.start();
  }
}

/** The events settings of a service, from its validated config. */
export function eventsOptionsFrom(config: ConfigService<ServiceEnv, true>, queue: string): EventsModuleOptions {
  return {
    relay: {
      batchSize: config.get('OUTBOX_BATCH_SIZE', { infer: true }),
      pollIntervalMs: config.get('OUTBOX_POLL_INTERVAL_MS', { infer: true }),
    },
    consumer: {
      queue,
      maxAttempts: config.get('EVENTS_MAX_ATTEMPTS', { infer: true }),
      retryBaseDelayMs: config.get('EVENTS_RETRY_BASE_MS', { infer: true }),
      retryMaxDelayMs: config.get('EVENTS_RETRY_MAX_MS', { infer: true }),
      batchSize: config.get('EVENTS_BATCH_SIZE', { infer: true }),
      concurrency: config.get('EVENTS_CONCURRENCY', { infer: true }),
    },
  };
}
