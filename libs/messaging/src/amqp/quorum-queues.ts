import { Logger } from '@nestjs/common';
import type { ChannelModel, ConfirmChannel, GetMessage, Options } from 'amqplib';

/**
 * A durable work queue as this system declares it: a quorum queue (replicated on a RabbitMQ
 * cluster, unlike a classic one), with its arguments and the bindings it needs.
 */
export interface QueueSpec {
  name: string;
  /** Arguments besides `x-queue-type`. */
  arguments: Record<string, unknown>;
  bindings: { exchange: string; routingKey: string }[];
}

/** How a message leaves `x-dead-letter-*`: not lost when the dead-letter queue is briefly away. */
export function deadLetteringTo(queue: string): Record<string, unknown> {
  return {
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': queue,
    // at-least-once dead-lettering needs reject-publish overflow; with no length limit it never rejects
    'x-dead-letter-strategy': 'at-least-once',
    'x-overflow': 'reject-publish',
  };
}

export function quorumQueueOptions(spec: QueueSpec): Options.AssertQueue {
  return { durable: true, arguments: { 'x-queue-type': 'quorum', ...spec.arguments } };
}

const MOVE_BATCH = 200;
const logger = new Logger('QueueMigration');

/** Another replica is migrating the queue, or the old version still consumes it: try again later. */
export class QueueMigrationPending extends Error {}

/**
 * Declares each queue, in order. A queue that exists with other arguments (a classic queue an
 * older version declared, or an old delivery limit) cannot change in place: it is migrated,
 * keeping every message and binding (see `migrate`). Order matters: dead-letter and retry queues
 * before the queue they feed.
 */
export async function declareQuorumQueues(model: ChannelModel, specs: QueueSpec[]): Promise<void> {
  for (const spec of specs) {
    if (!(await declares(model, spec))) await migrate(model, spec);
  }
}

/** True if the queue is declared (or already was) with these arguments, and bound; false if it differs. */
async function declares(model: ChannelModel, spec: QueueSpec): Promise<boolean> {
  const channel = await model.createChannel();
  channel.on('error', () => undefined); // a 406 closes the channel: the rejection below says it
  try {
    await channel.assertQueue(spec.name, quorumQueueOptions(spec));
  } catch (error) {
    if ((error as { code?: number }).code === 406) return false;
    throw error;
  }
  for (const b of spec.bindings) await channel.bindQueue(spec.name, b.exchange, b.routingKey);
  await channel.close();
  return true;
}

/**
 * Replaces queue Q by a quorum queue of the same name without losing a message:
 * 1. only once nothing consumes Q (the old version's consumers are gone) and under a lock (an
 *    exclusive queue: one replica migrates, the others retry later);
 * 2. a holding queue T takes Q's bindings, then Q gives them up: new messages land in T;
 * 3. Q's messages move to T (each acked only after T confirmed it), Q is deleted (if still
 *    empty and unused) and declared again as a quorum queue with its bindings;
 * 4. T gives its bindings back up, its messages move to Q, and T is deleted.
 * Every step can run again after a crash: the next start picks up where this one stopped.
 */
async function migrate(model: ChannelModel, spec: QueueSpec): Promise<void> {
  const holding = `${spec.name}.migrating`;
  const lock = await model.createChannel();
  lock.on('error', () => undefined);
  try {
    await lock.assertQueue(`${spec.name}.migration-lock`, { exclusive: true, durable: false, autoDelete: true });
  } catch {
    throw new QueueMigrationPending(`${spec.name} is being migrated by another replica`);
  }
  let channel = await confirmChannel(model);
  try {
    const { consumerCount } = await channel.checkQueue(spec.name);
    if (consumerCount > 0) {
      throw new QueueMigrationPending(
        `${spec.name} must become a quorum queue; waiting for its ${consumerCount} consumer(s) of the old version to stop`,
      );
    }
    logger.warn(`migrating ${spec.name} to a quorum queue (its arguments cannot change in place)`);
    await channel.assertQueue(holding, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    for (const b of spec.bindings) await channel.bindQueue(holding, b.exchange, b.routingKey);
    for (const b of spec.bindings) await channel.unbindQueue(spec.name, b.exchange, b.routingKey);
    const kept = await move(channel, spec.name, holding);
    await channel.deleteQueue(spec.name, { ifEmpty: true, ifUnused: true });
    // A fresh channel: RabbitMQ 3.10 crashes a channel that publishes to a queue it knew under
    // another type (the same name, deleted and declared again).
    await channel.close();
    channel = await confirmChannel(model);
    await channel.assertQueue(spec.name, quorumQueueOptions(spec));
    for (const b of spec.bindings) await channel.bindQueue(spec.name, b.exchange, b.routingKey);
    for (const b of spec.bindings) await channel.unbindQueue(holding, b.exchange, b.routingKey);
    let moved = await move(channel, holding, spec.name);
    // Nothing routes to it any more; quorum queues refuse delete-if-empty, so look, then delete.
    while ((await channel.checkQueue(holding)).messageCount > 0) moved += await move(channel, holding, spec.name);
    await channel.deleteQueue(holding);
    logger.warn(`migrated ${spec.name}: ${kept} message(s) kept, ${moved} handed back`);
  } finally {
    await channel.close().catch(() => undefined);
    await lock.close().catch(() => undefined);
  }
}

async function confirmChannel(model: ChannelModel): Promise<ConfirmChannel> {
  const channel = await model.createConfirmChannel();
  channel.on('error', () => undefined); // a failed step rejects its own promise
  return channel;
}

/** Moves every message from one queue to another: published with confirms, then acked. */
async function move(channel: ConfirmChannel, from: string, to: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const batch: GetMessage[] = [];
    while (batch.length < MOVE_BATCH) {
      const message = await channel.get(from, { noAck: false });
      if (!message) break;
      channel.sendToQueue(to, message.content, propertiesOf(message));
      batch.push(message);
    }
    if (batch.length === 0) return moved;
    await channel.waitForConfirms();
    channel.ack(batch.at(-1)!, true);
    moved += batch.length;
  }
}

function propertiesOf({ properties: p }: GetMessage): Options.Publish {
  const options: Options.Publish = { persistent: p.deliveryMode !== 1 };
  const copy = {
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    headers: p.headers,
    correlationId: p.correlationId,
    replyTo: p.replyTo,
    expiration: p.expiration,
    messageId: p.messageId,
    timestamp: p.timestamp,
    type: p.type,
    appId: p.appId,
  };
  for (const [key, value] of Object.entries(copy)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  return options;
}
