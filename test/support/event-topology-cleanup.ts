import { connect, type Channel, type ChannelModel } from 'amqplib';
import { eventQueueNames, type EventQueueNames } from '@app/messaging/amqp';
import { ServiceEnv } from '@app/platform';
import { AMQP_URL } from './amqp-test-kit.js';

/** The services that consume integration events, by the name of their (unprefixed) queue. */
export const EVENT_CONSUMERS = ['users.events', 'orders.events', 'payments.events'] as const;
export type EventConsumerQueue = (typeof EVENT_CONSUMERS)[number];

/** What names a system's topology: its queue prefix and its env overrides. */
export interface SystemSettings {
  prefix: string;
  settings: Record<string, string>;
}

/**
 * The event topology each consumer of `system` declares: its queue, dead-letter queue and retry
 * queues, named by the messaging library itself from the effective settings (the system's
 * overrides, else the environment, else the ServiceEnv defaults).
 */
export function eventTopologyOf(system: SystemSettings): Record<EventConsumerQueue, EventQueueNames> {
  const defaults = new ServiceEnv();
  const settings = system.settings;
  const setting = (name: 'EVENTS_MAX_ATTEMPTS' | 'EVENTS_RETRY_BASE_MS' | 'EVENTS_RETRY_MAX_MS'): number =>
    Number(settings[name] ?? process.env[name] ?? defaults[name]);
  const names = (queue: EventConsumerQueue): EventQueueNames =>
    eventQueueNames(
      { prefix: system.prefix },
      {
        queue,
        maxAttempts: setting('EVENTS_MAX_ATTEMPTS'),
        retryBaseDelayMs: setting('EVENTS_RETRY_BASE_MS'),
        retryMaxDelayMs: setting('EVENTS_RETRY_MAX_MS'),
      },
    );
  return {
    'users.events': names('users.events'),
    'orders.events': names('orders.events'),
    'payments.events': names('payments.events'),
  };
}

/**
 * Deletes the event topology a SystemUnderTest's apps declared: every consumer's event queues, their retry queues and dead-letter
 * queues, and the `${prefix}events` exchange. Call it after the apps are stopped, or they
 * declare it all again. Missing queues are fine.
 */
export async function deleteEventTopology(system: SystemSettings, url: string = AMQP_URL): Promise<void> {
  const topology = Object.values(eventTopologyOf(system));
  const queues = topology.flatMap((names) => [names.queue, names.deadLetter, ...names.retries]);
  const connection: ChannelModel = await connect(url);
  let channel: Channel | null = null;
  const withChannel = async (action: (ch: Channel) => Promise<unknown>): Promise<void> => {
    try {
      if (!channel) {
        channel = await connection.createChannel();
        channel.on('error', () => undefined);
      }
      await action(channel);
    } catch {
      // The broker closes a channel on an error: open a new one for the next call.
      channel = null;
    }
  };
  try {
    for (const queue of queues) await withChannel((ch) => ch.deleteQueue(queue));
    await withChannel((ch) => ch.deleteExchange(topology[0]!.exchange));
  } finally {
    await connection.close().catch(() => undefined);
  }
}
