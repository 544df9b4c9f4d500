import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { AMQP_URL, deleteQueues, testPrefix } from '../../../../test/support/amqp-test-kit.js';
import { declareEventTopology, eventQueueNames, eventQueueSpecs } from './event-topology.js';
import type { EventConsumerOptions } from '../events/event-consumer-options.js';
import { QueueMigrationPending } from './quorum-queues.js';

const KEY = 'widgets.widget-made.v1';
const options: EventConsumerOptions = {
  queue: 'widgets.events',
  maxAttempts: 2,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 100,
  batchSize: 10,
  concurrency: 1,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('quorum work queues against RabbitMQ', () => {
  let connection: ChannelModel;
  const queues = new Set<string>();
  const exchanges = new Set<string>();

  /** A channel whose errors (a 406 closing it) only show in the promise that failed. */
  const channelOf = async (): Promise<Channel> => {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    return channel;
  };

  const namesFor = (prefix: string) => {
    const names = eventQueueNames({ prefix }, options);
    for (const q of [names.queue, names.deadLetter, ...names.retries, `${names.queue}.migrating`]) queues.add(q);
    exchanges.add(names.exchange);
    return names;
  };

  const isQuorum = async (queue: string, args: Record<string, unknown>): Promise<boolean> => {
    const channel = await channelOf();
    return channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum', ...args } }).then(
      () => channel.close().then(() => true),
      () => false,
    );
  };

  const drain = async (queue: string): Promise<GetMessage[]> => {
    const channel = await channelOf();
    const got: GetMessage[] = [];
    for (let m = await channel.get(queue, { noAck: true }); m; m = await channel.get(queue, { noAck: true })) {
      got.push(m);
    }
    await channel.close();
    return got;
  };

  beforeAll(async () => {
    connection = await connect(AMQP_URL);
  });

  afterAll(async () => {
    const channel = await channelOf();
    for (const exchange of exchanges) await channel.deleteExchange(exchange).catch(() => undefined);
    await connection.close();
    await deleteQueues([...queues]);
  });

  it('dead-letters a message whose consumers never settle it after the delivery limit, saying why', async () => {
    const names = namesFor(testPrefix('quorum'));
    await declareEventTopology(connection, names, options, [KEY], 2);
    const publisher = await connection.createConfirmChannel();
    publisher.publish(names.exchange, KEY, Buffer.from('{"crashes":"its consumer"}'), { persistent: true });
    await publisher.waitForConfirms();

    // A consumer that takes it and dies before settling it, three times (a crash loop).
    for (let i = 0; i < 3; i += 1) {
      const doomed = await channelOf();
      const message = await doomed.get(names.queue, { noAck: false });
      expect(message).not.toBe(false);
      await doomed.close(); // unsettled: back to the queue, one delivery more
    }
    let dead: GetMessage[] = [];
    for (let i = 0; i < 50 && dead.length === 0; i += 1) {
      dead = await drain(names.deadLetter);
      if (dead.length === 0) await sleep(100);
    }
    expect(dead).toHaveLength(1);
    const death = (dead[0]!.properties.headers?.['x-death'] as { reason: string; queue: string }[])[0];
    expect(death).toMatchObject({ reason: 'delivery_limit', queue: names.queue });
    expect(await drain(names.queue)).toHaveLength(0);
    await publisher.close();
  });

  it('migrates the classic queues an older version declared to quorum queues, keeping every message and binding', async () => {
    const names = namesFor(testPrefix('migrate'));
    const old = await channelOf();
    // The topology as the previous version declared it: classic queues.
    await old.assertExchange(names.exchange, 'topic', { durable: true });
    await old.assertQueue(names.queue, { durable: true });
    await old.bindQueue(names.queue, names.exchange, KEY);
    await old.assertQueue(names.deadLetter, { durable: true });
    await old.assertQueue(names.retries[0]!, {
      durable: true,
      arguments: { 'x-message-ttl': 100, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': names.queue },
    });
    for (let i = 0; i < 5; i += 1) old.publish(names.exchange, KEY, Buffer.from(`queued ${i}`), { persistent: true });
    old.sendToQueue(names.deadLetter, Buffer.from('dead'), { persistent: true, headers: { 'x-death-reason': 'r' } });
    await old.close();

    // The old version's consumer is still attached: nothing moves yet.
    const oldConsumer = await channelOf();
    await oldConsumer.prefetch(1);
    const { consumerTag } = await oldConsumer.consume(names.queue, () => undefined, { noAck: false });
    await expect(declareEventTopology(connection, names, options, [KEY], 20)).rejects.toBeInstanceOf(
      QueueMigrationPending,
    );
    await oldConsumer.cancel(consumerTag);
    await oldConsumer.close(); // its unacked message goes back to the queue

    await declareEventTopology(connection, names, options, [KEY], 20);
    for (const spec of eventQueueSpecs(names, options, [KEY], 20)) {
      expect([spec.name, await isQuorum(spec.name, spec.arguments)]).toEqual([spec.name, true]);
    }
    const probe = await connection.createConfirmChannel();
    probe.publish(names.exchange, KEY, Buffer.from('after'), { persistent: true }); // the binding moved too
    await probe.waitForConfirms();
    await probe.close();
    const bodies = (await drain(names.queue)).map((m) => m.content.toString()).sort();
    expect(bodies).toEqual(['after', 'queued 0', 'queued 1', 'queued 2', 'queued 3', 'queued 4']);
    const dead = await drain(names.deadLetter);
    expect(dead.map((m) => [m.content.toString(), m.properties.headers?.['x-death-reason']])).toEqual([['dead', 'r']]);
    // Declaring again (another replica, a reconnect) changes nothing.
    await declareEventTopology(connection, names, options, [KEY], 20);
  });
});
