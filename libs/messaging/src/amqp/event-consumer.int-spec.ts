import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { connect, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import type { DataSource } from 'typeorm';
import { OrdersEvents, type IntegrationEvent, type OrderCancelledV1, type OrderPlacedV1 } from '@app/contracts';
import { TransactionRunner, currentMessageContext, openDataSource, type MessageContext } from '@app/platform';
import { AMQP_URL, deleteQueues, openConnection, testPrefix } from '../../../../test/support/amqp-test-kit.js';
import { PG, dropDatabases, testDatabaseName } from '../../../../test/support/postgres-test-kit.js';
import type { AmqpConnection } from './amqp-connection.js';
import { InboxOrmEntity } from '../inbox/inbox.orm-entity.js';
import { createInboxTableV1 } from '../outbox/outbox-schema.js';
import { EventConsumer, RetryHeaders } from './event-consumer.js';
import type { EventConsumerOptions } from '../events/event-consumer-options.js';
import { subscribe } from '../events/event-subscription.js';

const PLACED_KEY = OrdersEvents.orderPlaced.routingKey; // orders.order-placed.v1
const CANCELLED_KEY = OrdersEvents.orderCancelled.routingKey;
/** Bound to the consumer's queue by the test, but nobody subscribed to it. */
const UNHANDLED_KEY = 'orders.order-shipped.v1';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** rabbitmqctl, when this machine has it and it can reach the broker; null otherwise. */
function rabbitmqctl(args: string[]): string | null {
  try {
    return execFileSync('rabbitmqctl', ['-q', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}
const HAS_RABBITMQCTL = rabbitmqctl(['list_connections', 'name', '--no-table-headers']) !== null;
// Each rabbitmqctl call starts an Erlang VM: seconds on a busy machine, more than jest's default 5 s.
jest.setTimeout(30_000);

/** Closes, on the broker's side, the connection that presented `connectionName`. */
function forceCloseConnection(connectionName: string): void {
  const listing = rabbitmqctl(['list_connections', 'pid', 'client_properties', '--no-table-headers']) ?? '';
  const line = listing.split('\n').find((l) => l.includes(`{"connection_name","${connectionName}"}`));
  if (!line) throw new Error(`no broker connection named ${connectionName}`);
  const pid = line.split('\t')[0]!.trim();
  if (rabbitmqctl(['close_connection', pid, 'closed by event-consumer.int-spec']) === null) {
    throw new Error(`rabbitmqctl could not close ${pid}`);
  }
}

/** Ready plus unacknowledged messages of a queue (rabbitmqctl sees both). */
function queueDepth(queue: string): number | null {
  const listing = rabbitmqctl(['list_queues', 'name', 'messages', '--no-table-headers']);
  if (listing === null) return null;
  const line = listing.split('\n').find((l) => l.split('\t')[0] === queue);
  return line ? Number(line.split('\t')[1]) : 0;
}

interface Behaviour {
  /** Attempts that throw (after writing their effect) before one succeeds; Infinity: never succeeds. */
  failures?: number;
  /** Time the handler takes, inside the transaction. */
  sleepMs?: number;
}

function placed(
  payload: Partial<Record<keyof OrderPlacedV1, unknown>> = {},
  envelope: Partial<IntegrationEvent> = {},
): IntegrationEvent<Record<string, unknown>> {
  return {
    id: randomUUID(),
    type: 'OrderPlaced',
    version: 1,
    occurredAt: new Date().toISOString(),
    correlationId: `corr-${randomUUID()}`,
    causationId: null,
    payload: { orderId: randomUUID(), userId: randomUUID(), totalCents: 12_99, currency: 'EUR', ...payload },
    ...envelope,
  } as IntegrationEvent<Record<string, unknown>>;
}

describe('EventConsumer against PostgreSQL and RabbitMQ', () => {
  const prefix = testPrefix('events');
  const exchange = `${prefix}events`;
  const database = testDatabaseName('events_int');
  const options: EventConsumerOptions = {
    queue: 'widgets.events',
    maxAttempts: 3,
    retryBaseDelayMs: 100,
    retryMaxDelayMs: 400,
    batchSize: 50,
    concurrency: 4,
  };
  const mainConnectionName = `event-consumer-int main ${prefix}`;

  let dataSource: DataSource;
  let transactions: TransactionRunner;
  let amqp: AmqpConnection;
  let consumer: EventConsumer;
  let publisher: ChannelModel;
  let channel: ConfirmChannel;
  const extraConnections: AmqpConnection[] = [];
  const extraConsumers: EventConsumer[] = [];
  const queuesToDelete = new Set<string>();

  /** What the handler does, per order id. */
  const behaviours = new Map<string, Behaviour>();
  /** When each attempt of each event (by id) started. */
  const attempts = new Map<string, number[]>();
  /** When each event (by id) was handled successfully: its transaction committed, so its effects are visible. */
  const handledAt = new Map<string, number>();
  const contexts = new Map<string, { context: MessageContext | undefined; inTransaction: boolean }>();
  const deadLetters: ConsumeMessage[] = [];

  const handler = async (event: IntegrationEvent<OrderPlacedV1>): Promise<void> => {
    const started = Date.now();
    const seen = [...(attempts.get(event.id) ?? []), started];
    attempts.set(event.id, seen);
    contexts.set(event.id, { context: currentMessageContext(), inTransaction: transactions.inTransaction });
    const behaviour = behaviours.get(event.payload.orderId) ?? {};
    if (behaviour.sleepMs) await sleep(behaviour.sleepMs);
    await transactions.manager.query('INSERT INTO effects (message_id, n) VALUES ($1, $2)', [event.id, seen.length]);
    if (seen.length <= (behaviour.failures ?? 0)) {
      throw new Error(`widget ledger unavailable (order ${event.payload.orderId}, attempt ${seen.length})`);
    }
    // Set once the handler's transaction (the consumer's, with the inbox row) commits: a check of
    // the effects right after waiting for this must not race the COMMIT.
    transactions.afterCommit(() => handledAt.set(event.id, Date.now()));
  };

  const publish = async (
    body: unknown,
    { routingKey = PLACED_KEY, messageId }: { routingKey?: string; messageId?: string } = {},
  ): Promise<void> => {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const id = messageId ?? (body as { id?: string }).id;
    channel.publish(exchange, routingKey, content, {
      persistent: true,
      messageId: id,
      contentType: 'application/json',
    });
    await channel.waitForConfirms();
  };

  const effectsOf = async (id: string): Promise<number[]> => {
    const rows = (await dataSource.query('SELECT n FROM effects WHERE message_id = $1 ORDER BY n', [id])) as {
      n: number;
    }[];
    return rows.map((r) => r.n);
  };
  const inboxRowsOf = async (id: string): Promise<{ consumer: string }[]> =>
    (await dataSource.query('SELECT consumer FROM inbox WHERE message_id = $1', [id])) as { consumer: string }[];

  const deadLetterOf = async (messageId: string, timeoutMs = 10_000): Promise<ConsumeMessage> => {
    await waitFor(
      `dead letter ${messageId}`,
      () => deadLetters.some((m) => m.properties.messageId === messageId),
      timeoutMs,
    );
    return deadLetters.find((m) => m.properties.messageId === messageId)!;
  };

  /** A message with no chance of success reaches the DLQ at once, unhandled, with why. */
  const expectStraightToDeadLetters = async (messageId: string, routingKey: string, reason: string | RegExp) => {
    const dead = await deadLetterOf(messageId);
    const headers = dead.properties.headers ?? {};
    expect(headers[RetryHeaders.attempts]).toBe(1);
    if (typeof reason === 'string') expect(String(headers[RetryHeaders.deathReason])).toContain(reason);
    else expect(String(headers[RetryHeaders.deathReason])).toMatch(reason);
    expect(headers[RetryHeaders.routingKey]).toBe(routingKey);
    expect(headers[RetryHeaders.consumer]).toBe(options.queue);
    expect(typeof headers[RetryHeaders.failedAt]).toBe('string');
    expect(headers['x-death']).toBeUndefined(); // never went through a retry queue
    return dead;
  };

  beforeAll(async () => {
    dataSource = await openDataSource({
      ...PG,
      database,
      poolSize: 10,
      migrationsRun: false,
      entities: [InboxOrmEntity],
      migrations: [],
    });
    const runner = dataSource.createQueryRunner();
    try {
      await createInboxTableV1(runner);
      // tx: the transaction that wrote the effect, to see which events shared one
      await runner.query(
        'CREATE TABLE effects (message_id uuid NOT NULL, n int NOT NULL, tx bigint NOT NULL DEFAULT txid_current())',
      );
    } finally {
      await runner.release();
    }
    transactions = new TransactionRunner(dataSource);

    amqp = await openConnection(prefix, { connectionName: mainConnectionName });
    consumer = new EventConsumer(amqp, transactions, options, [subscribe(OrdersEvents.orderPlaced, handler)]);
    for (const queue of [consumer.queueNames.queue, consumer.queueNames.deadLetter, ...consumer.queueNames.retries]) {
      queuesToDelete.add(queue);
    }
    await consumer.start();

    publisher = await connect(AMQP_URL);
    channel = await publisher.createConfirmChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.bindQueue(consumer.queueNames.queue, exchange, UNHANDLED_KEY);
    await channel.consume(consumer.queueNames.deadLetter, (m) => m && deadLetters.push(m), { noAck: true });
  }, 60_000);

  afterAll(async () => {
    for (const c of extraConsumers) await c.stop();
    await consumer?.stop();
    for (const c of extraConnections) await c.close();
    await amqp?.close();
    if (publisher) {
      await channel.deleteExchange(exchange).catch(() => undefined);
      await publisher.close().catch(() => undefined);
    }
    await deleteQueues([...queuesToDelete]);
    if (dataSource?.isInitialized) await dataSource.destroy();
    await dropDatabases([database]);
  }, 60_000);

  it('declares the queue, a delay queue per retry and the dead-letter queue', () => {
    expect(consumer.queueNames).toEqual({
      exchange,
      queue: `${prefix}widgets.events`,
      deadLetter: `${prefix}widgets.events.dlq`,
      retries: [`${prefix}widgets.events.retry.100ms`, `${prefix}widgets.events.retry.200ms`],
    });
  });

  it('handles a valid event once, in the inbox transaction, and acks it', async () => {
    const event = placed();
    await publish(event);

    await waitFor('the event handled', () => handledAt.has(event.id));
    expect(attempts.get(event.id)).toHaveLength(1);
    expect(contexts.get(event.id)?.inTransaction).toBe(true);
    await waitFor('the effect committed', async () => (await effectsOf(event.id)).length === 1);
    expect(await inboxRowsOf(event.id)).toEqual([{ consumer: 'widgets.events' }]);
    const depth = () => queueDepth(consumer.queueNames.queue);
    if (depth() !== null) await waitFor('the queue empty (acked)', () => depth() === 0, 5_000);
    const { messageCount } = await channel.checkQueue(consumer.queueNames.queue);
    expect(messageCount).toBe(0);
  });

  it('has one effect for an envelope delivered three times', async () => {
    const event = placed();
    await publish(event);
    await publish(event);
    await publish(event);

    await waitFor('the event handled', () => handledAt.has(event.id));
    const depth = () => queueDepth(consumer.queueNames.queue);
    if (depth() !== null) await waitFor('all three copies acked', () => depth() === 0, 5_000);
    else await sleep(1_000);
    expect(attempts.get(event.id)).toHaveLength(1);
    expect(await effectsOf(event.id)).toEqual([1]);
    expect(await inboxRowsOf(event.id)).toHaveLength(1);
    expect(deadLetters.filter((m) => m.properties.messageId === event.id)).toHaveLength(0);
  });

  /** Publishes all of them before waiting for the confirms, so they reach the consumer together. */
  const publishTogether = async (events: IntegrationEvent<Record<string, unknown>>[]): Promise<void> => {
    for (const event of events) {
      channel.publish(exchange, PLACED_KEY, Buffer.from(JSON.stringify(event)), {
        persistent: true,
        messageId: event.id,
        contentType: 'application/json',
      });
    }
    await channel.waitForConfirms();
  };
  const transactionsOf = async (ids: string[]): Promise<number> => {
    const [row] = (await dataSource.query(
      'SELECT count(DISTINCT tx)::int AS n FROM effects WHERE message_id = ANY($1::uuid[])',
      [ids],
    )) as { n: number }[];
    return row!.n;
  };

  it('handles events that arrive together in shared transactions, each once, and acks them', async () => {
    const events = Array.from({ length: 40 }, () => placed());
    await publishTogether(events);

    await waitFor('all handled', () => events.every((e) => handledAt.has(e.id)));
    for (const event of events) {
      expect(await effectsOf(event.id)).toEqual([1]);
      expect(await inboxRowsOf(event.id)).toHaveLength(1);
    }
    expect(await transactionsOf(events.map((e) => e.id))).toBeLessThan(events.length);
    const depth = () => queueDepth(consumer.queueNames.queue);
    if (depth() !== null) await waitFor('the queue empty (acked)', () => depth() === 0, 5_000);
  });

  it("handles one user's events in arrival order, one batch after another", async () => {
    const userId = randomUUID();
    const order: string[] = [];
    let running = 0;
    let overlapped = false;
    const ordered = new EventConsumer(amqp, transactions, { ...options, queue: 'widgets.ordered' }, [
      subscribe(
        OrdersEvents.orderPlaced,
        async (event) => {
          running += 1;
          overlapped ||= running > 1;
          order.push(event.id);
          await sleep(2);
          running -= 1;
        },
        { orderingKey: (payload) => payload.userId },
      ),
    ]);
    const names = ordered.queueNames;
    for (const q of [names.queue, names.deadLetter, ...names.retries]) queuesToDelete.add(q);
    await ordered.start();
    try {
      const events = Array.from({ length: 30 }, () => placed({ userId }));
      await publishTogether(events);
      await waitFor('all handled', () => order.length === events.length);
      expect(order).toEqual(events.map((e) => e.id));
      expect(overlapped).toBe(false);
    } finally {
      await ordered.stop();
      // Its queue is bound to the same key: left in place, it would take a copy of every later event.
      await channel.deleteQueue(names.queue);
    }
  });

  it('rolls back a batch with a failing event: the others commit once on their own, it alone retries', async () => {
    const events = Array.from({ length: 30 }, () => placed());
    const bad = events[7]!;
    behaviours.set(String(bad.payload.orderId), { failures: 2 });
    await publishTogether(events);

    await waitFor('all handled', () => events.every((e) => handledAt.has(e.id)), 10_000);
    for (const event of events.filter((e) => e !== bad)) {
      expect(await effectsOf(event.id)).toHaveLength(1);
      expect(await inboxRowsOf(event.id)).toHaveLength(1);
    }
    // Failed in its batch, then on its own; the retry queue brought it back for the third.
    expect(attempts.get(bad.id)).toHaveLength(3);
    expect(await effectsOf(bad.id)).toEqual([3]);
    expect(deadLetters.filter((m) => m.properties.messageId === bad.id)).toHaveLength(0);
  });

  it('retries a failing handler with growing delays and succeeds on the third attempt', async () => {
    const event = placed();
    behaviours.set(String(event.payload.orderId), { failures: 2 });
    await publish(event);

    await waitFor('the event handled', () => handledAt.has(event.id), 10_000);
    const times = attempts.get(event.id)!;
    expect(times).toHaveLength(3);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);
    // Only the successful attempt left its effect: the two failed transactions rolled back.
    await waitFor('the effect committed', async () => (await effectsOf(event.id)).length > 0);
    expect(await effectsOf(event.id)).toEqual([3]);
    expect(await inboxRowsOf(event.id)).toHaveLength(1);
    await sleep(300);
    expect(attempts.get(event.id)).toHaveLength(3);
    expect(deadLetters.filter((m) => m.properties.messageId === event.id)).toHaveLength(0);
  });

  it('dead-letters a message whose handler always fails after exactly maxAttempts, leaving no trace', async () => {
    const event = placed();
    const orderId = String(event.payload.orderId);
    behaviours.set(orderId, { failures: Infinity });
    await publish(event);

    const dead = await deadLetterOf(event.id);
    const headers = dead.properties.headers ?? {};
    expect(attempts.get(event.id)).toHaveLength(3);
    expect(headers[RetryHeaders.attempts]).toBe(3);
    expect(String(headers[RetryHeaders.deathReason])).toContain(
      `widget ledger unavailable (order ${orderId}, attempt 3)`,
    );
    expect(headers[RetryHeaders.routingKey]).toBe(PLACED_KEY);
    expect(headers[RetryHeaders.consumer]).toBe('widgets.events');
    expect(dead.properties.messageId).toBe(event.id);
    expect(dead.properties.deliveryMode).toBe(2);
    expect(JSON.parse(dead.content.toString('utf8'))).toEqual(event);

    const times = attempts.get(event.id)!;
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(100);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(200);
    expect(await effectsOf(event.id)).toEqual([]);
    expect(await inboxRowsOf(event.id)).toEqual([]);
    await sleep(300);
    expect(attempts.get(event.id)).toHaveLength(3);
    expect(deadLetters.filter((m) => m.properties.messageId === event.id)).toHaveLength(1);
  });

  it('keeps handling other messages while a poison message is being retried', async () => {
    const poison = placed();
    behaviours.set(String(poison.payload.orderId), { failures: Infinity, sleepMs: 150 });
    await publish(poison);
    await waitFor('the poison message first attempt', () => attempts.has(poison.id));

    const good = Array.from({ length: 20 }, () => placed());
    for (const event of good) await publish(event);

    await waitFor('all good messages handled', () => good.every((e) => handledAt.has(e.id)));
    const lastGood = Math.max(...good.map((e) => handledAt.get(e.id)!));
    expect(attempts.get(poison.id)!.length).toBeLessThan(3);
    await deadLetterOf(poison.id);
    const poisonTimes = attempts.get(poison.id)!;
    expect(poisonTimes).toHaveLength(3);
    expect(lastGood).toBeLessThan(poisonTimes[2]!);
    for (const event of good) expect(await effectsOf(event.id)).toEqual([1]);
  });

  it('dead-letters a body that is not JSON at once', async () => {
    const messageId = randomUUID();
    await publish(Buffer.from('{"id": "half a'), { messageId });
    const dead = await expectStraightToDeadLetters(messageId, PLACED_KEY, 'body is not JSON');
    expect(dead.content.toString('utf8')).toBe('{"id": "half a');
  });

  it('dead-letters an envelope without an id at once', async () => {
    const messageId = randomUUID();
    const { id: _id, ...withoutId } = placed();
    await publish(withoutId, { messageId });
    await expectStraightToDeadLetters(messageId, PLACED_KEY, /invalid envelope: .*\bid\b/);
  });

  it('dead-letters a payload that breaks the contract at once, naming the fields', async () => {
    const event = placed({ userId: undefined, totalCents: -5 });
    await publish(event);
    const dead = await expectStraightToDeadLetters(event.id, PLACED_KEY, 'invalid payload');
    const reason = String(dead.properties.headers?.[RetryHeaders.deathReason]);
    expect(reason).toContain('userId');
    expect(reason).toContain('totalCents');
    expect(attempts.has(event.id)).toBe(false);
    expect(await inboxRowsOf(event.id)).toEqual([]);
  });

  it('dead-letters an envelope of another type at once', async () => {
    const event = placed({}, { type: 'OrderCancelled' });
    await publish(event);
    await expectStraightToDeadLetters(event.id, PLACED_KEY, 'expected OrderPlaced v1, got OrderCancelled v1');
    expect(attempts.has(event.id)).toBe(false);
  });

  it('dead-letters a message whose routing key has no handler', async () => {
    const event = placed({}, { type: 'OrderShipped' });
    await publish(event, { routingKey: UNHANDLED_KEY });
    await expectStraightToDeadLetters(event.id, UNHANDLED_KEY, `no handler for routing key "${UNHANDLED_KEY}"`);
    expect(attempts.has(event.id)).toBe(false);
    expect(await inboxRowsOf(event.id)).toEqual([]);
  });

  it('runs the handler with the envelope correlation id and the event as causation', async () => {
    const correlated = placed({}, { correlationId: 'corr-checkout-7', causationId: randomUUID() });
    const uncorrelated = placed({}, { correlationId: null });
    await publish(correlated);
    await publish(uncorrelated);

    await waitFor('both handled', () => handledAt.has(correlated.id) && handledAt.has(uncorrelated.id));
    expect(contexts.get(correlated.id)?.context).toEqual({
      correlationId: 'corr-checkout-7',
      causationId: correlated.id,
    });
    expect(contexts.get(uncorrelated.id)?.context).toEqual({
      correlationId: uncorrelated.id,
      causationId: uncorrelated.id,
    });
  });

  it('stop() waits for the handler in flight to finish and ack, and takes no more messages', async () => {
    const connectionName = `event-consumer-int stopping ${prefix}`;
    const stoppingAmqp = await openConnection(prefix, { connectionName });
    extraConnections.push(stoppingAmqp);
    let started = 0;
    let finished = 0;
    const seen: string[] = [];
    const slow = new EventConsumer(stoppingAmqp, transactions, { ...options, queue: 'widgets.stopping' }, [
      subscribe(OrdersEvents.orderCancelled, async (event: IntegrationEvent<OrderCancelledV1>) => {
        seen.push(event.id);
        started = Date.now();
        await sleep(500);
        await transactions.manager.query('INSERT INTO effects (message_id, n) VALUES ($1, 1)', [event.id]);
        finished = Date.now();
      }),
    ]);
    extraConsumers.push(slow);
    const names = slow.queueNames;
    for (const queue of [names.queue, names.deadLetter, ...names.retries]) queuesToDelete.add(queue);
    await slow.start();

    const cancelled = (): IntegrationEvent<OrderCancelledV1> => ({
      id: randomUUID(),
      type: 'OrderCancelled',
      version: 1,
      occurredAt: new Date().toISOString(),
      correlationId: null,
      causationId: null,
      payload: { orderId: randomUUID(), userId: randomUUID(), reason: 'changed my mind' },
    });
    const first = cancelled();
    await publish(first, { routingKey: CANCELLED_KEY });
    await waitFor('the slow handler started', () => started > 0);

    await slow.stop();
    const stoppedAt = Date.now();
    expect(finished).toBeGreaterThan(0);
    expect(stoppedAt).toBeGreaterThanOrEqual(finished);
    expect(stoppedAt - started).toBeGreaterThanOrEqual(500);
    expect(await effectsOf(first.id)).toEqual([1]);

    // No longer consuming: a new message waits in the queue.
    const second = cancelled();
    await publish(second, { routingKey: CANCELLED_KEY });
    await sleep(300);
    expect(seen).toEqual([first.id]);

    // Closing the connection would requeue an unacked message: only the second is left.
    await stoppingAmqp.close();
    await waitFor('the queue to settle', async () => (await channel.checkQueue(names.queue)).messageCount === 1, 5_000);
    await sleep(200);
    expect((await channel.checkQueue(names.queue)).messageCount).toBe(1);
    expect((await channel.checkQueue(names.deadLetter)).messageCount).toBe(0);
  });

  (HAS_RABBITMQCTL ? it : it.skip)(
    'consumes again after the broker closed the connection (rabbitmqctl close_connection)',
    async () => {
      const before = placed();
      await publish(before);
      await waitFor('a message before the cut', () => handledAt.has(before.id));

      forceCloseConnection(mainConnectionName);
      await waitFor('the connection to drop', () => !amqp.isConnected, 5_000);
      await waitFor('the connection to recover', () => amqp.isConnected, 15_000);

      const after = placed();
      await publish(after);
      await waitFor('a message after the cut', () => handledAt.has(after.id), 10_000);
      expect(attempts.get(after.id)).toHaveLength(1);
      expect(await effectsOf(after.id)).toEqual([1]);
      expect(await inboxRowsOf(after.id)).toHaveLength(1);
    },
    30_000,
  );

  it('re-declares its queue and consumes again after the broker cancels it (queue deleted)', async () => {
    const admin = await publisher.createChannel();
    await admin.deleteQueue(`${prefix}widgets.events`);
    await admin.close();
    await waitFor('the queue to be declared again', async () => {
      const probe = await publisher.createChannel();
      probe.on('error', () => undefined);
      return probe.checkQueue(`${prefix}widgets.events`).then(
        (ok) => probe.close().then(() => ok.consumerCount === 1),
        () => false,
      );
    });
    const event = placed();
    await publish(event);
    await waitFor('the event handled after the queue came back', () => handledAt.has(event.id));
  }, 20_000);
});
