import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { DataSource } from 'typeorm';
import { TransactionRunner, openDataSource, runInMessageContext } from '@app/platform';
import { AMQP_URL, deleteQueues, openConnection, testPrefix } from '../../../../test/support/amqp-test-kit.js';
import { PG, dropDatabases, testDatabaseName } from '../../../../test/support/postgres-test-kit.js';
import type { AmqpConnection } from './amqp-connection.js';
import { AmqpEventTransport } from './amqp-event-transport.js';
import type { OutboxMessage } from '../outbox/outbox-message.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { addOutboxParkingV2, createInboxTableV1, createOutboxTableV1 } from '../outbox/outbox-schema.js';
import { OutboxSignal } from '../outbox/outbox-signal.js';
import { OutboxWriter } from '../outbox/outbox-writer.js';
import { OutboxOrmEntity } from '../outbox/outbox.orm-entity.js';

const ROUTING_KEY = 'widgets.widget-made.v1';
const OTHER_ROUTING_KEY = 'widgets.widget-broken.v1';

interface Delivery {
  messageId: string;
  routingKey: string;
  body: Record<string, unknown>;
  message: ConsumeMessage;
  receivedAt: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function aMessage(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: randomUUID(),
    type: 'WidgetMade',
    version: 1,
    routingKey: ROUTING_KEY,
    mustBeReceived: true,
    payload: { widgetId: randomUUID(), colour: 'teal', sizes: [1, 2, 3] },
    occurredAt: new Date('2026-03-04T05:06:07.891Z'),
    ...overrides,
  };
}

describe('OutboxRelay against PostgreSQL and RabbitMQ', () => {
  const prefix = testPrefix('outbox');
  const exchange = `${prefix}events`;
  const probeQueue = `${prefix}outbox-probe`;
  const database = testDatabaseName('outbox_int');
  const dataSources: DataSource[] = [];
  const connections: AmqpConnection[] = [];
  const relays: OutboxRelay[] = [];
  let dataSource: DataSource;
  let amqp: AmqpConnection;
  let transactions: TransactionRunner;
  let probe: ChannelModel;
  let probeChannel: Channel;
  const deliveries: Delivery[] = [];

  const openDatabase = async (): Promise<DataSource> => {
    const opened = await openDataSource({
      ...PG,
      database,
      poolSize: 10,
      migrationsRun: false,
      entities: [OutboxOrmEntity],
      migrations: [],
    });
    dataSources.push(opened);
    return opened;
  };

  const openAmqp = async (name: string): Promise<AmqpConnection> => {
    const connection = await openConnection(prefix, { connectionName: `outbox-relay-int ${name} ${prefix}` });
    connections.push(connection);
    return connection;
  };

  /** A relay with its own signal, and the writer that wakes it. */
  const startRelay = async (
    options: { pollIntervalMs?: number; batchSize?: number; on?: DataSource; via?: AmqpConnection } = {},
  ): Promise<{ relay: OutboxRelay; writer: OutboxWriter; signal: OutboxSignal }> => {
    const signal = new OutboxSignal();
    const publisher = new AmqpEventTransport(options.via ?? amqp).publisher();
    const relay = new OutboxRelay(options.on ?? dataSource, publisher, signal, {
      batchSize: options.batchSize ?? 50,
      pollIntervalMs: options.pollIntervalMs ?? 200,
    });
    relays.push(relay);
    await relay.start();
    return { relay, writer: new OutboxWriter(transactions, signal), signal };
  };

  const deliveriesOf = (ids: Iterable<string>): Delivery[] => {
    const wanted = new Set(ids);
    return deliveries.filter((d) => wanted.has(d.messageId));
  };

  const countById = (ids: string[]): Map<string, number> => {
    const counts = new Map<string, number>(ids.map((id) => [id, 0]));
    for (const d of deliveriesOf(ids)) counts.set(d.messageId, (counts.get(d.messageId) ?? 0) + 1);
    return counts;
  };

  const unpublishedOf = async (ids: string[]): Promise<number> => {
    const [row] = (await dataSource.query(
      'SELECT count(*)::int AS n FROM outbox WHERE id = ANY($1::uuid[]) AND published_at IS NULL',
      [ids],
    )) as { n: number }[];
    return row!.n;
  };

  /** Rows written straight into the table, as another process would: no signal. */
  const insertDirectly = async (messages: OutboxMessage[]): Promise<void> => {
    const params: unknown[] = [];
    const values = messages.map((m) => {
      params.push(m.id, m.type, m.routingKey, m.payload, {
        version: m.version,
        correlationId: null,
        causationId: null,
      });
      params.push(m.occurredAt);
      const n = params.length;
      return `($${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
    });
    await dataSource.query(
      `INSERT INTO outbox (id, type, routing_key, payload, headers, occurred_at) VALUES ${values.join(', ')}`,
      params,
    );
  };

  beforeAll(async () => {
    dataSource = await openDatabase();
    const runner = dataSource.createQueryRunner();
    try {
      await createOutboxTableV1(runner);
      await addOutboxParkingV2(runner);
      await createInboxTableV1(runner);
    } finally {
      await runner.release();
    }
    transactions = new TransactionRunner(dataSource);

    probe = await connect(AMQP_URL);
    probeChannel = await probe.createChannel();
    await probeChannel.assertExchange(exchange, 'topic', { durable: true });
    await probeChannel.assertQueue(probeQueue, { durable: false });
    await probeChannel.bindQueue(probeQueue, exchange, ROUTING_KEY);
    await probeChannel.bindQueue(probeQueue, exchange, OTHER_ROUTING_KEY);
    await probeChannel.consume(
      probeQueue,
      (message) => {
        if (!message) return;
        deliveries.push({
          messageId: String(message.properties.messageId),
          routingKey: message.fields.routingKey,
          body: JSON.parse(message.content.toString('utf8')) as Record<string, unknown>,
          message,
          receivedAt: Date.now(),
        });
      },
      { noAck: true },
    );

    amqp = await openAmqp('main');
  }, 60_000);

  beforeEach(async () => {
    await dataSource.query('TRUNCATE outbox');
  });

  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
  });

  afterAll(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
    for (const connection of connections) await connection.close();
    if (probe) {
      await probeChannel.deleteExchange(exchange).catch(() => undefined);
      await probe.close().catch(() => undefined);
    }
    await deleteQueues([probeQueue]);
    for (const ds of dataSources) if (ds.isInitialized) await ds.destroy();
    await dropDatabases([database]);
  }, 60_000);

  it('publishes rows written in a transaction right after it commits, without waiting for the poll', async () => {
    const { writer } = await startRelay({ pollIntervalMs: 60_000 });
    await sleep(100); // the start-up drain found nothing
    const first = aMessage();
    const second = aMessage({ routingKey: OTHER_ROUTING_KEY, type: 'WidgetBroken', version: 2, payload: { why: 'x' } });

    await runInMessageContext({ correlationId: 'corr-outbox-1', causationId: 'cause-outbox-1' }, () =>
      transactions.run(async () => {
        await writer.append([first, second]);
      }),
    );
    const committedAt = Date.now();

    await waitFor('both events', () => deliveriesOf([first.id, second.id]).length === 2, 5_000);
    const [got1, got2] = [first, second].map((m) => deliveries.find((d) => d.messageId === m.id)!);
    expect(Math.max(got1!.receivedAt, got2!.receivedAt) - committedAt).toBeLessThan(2_000);

    expect(got1!.body).toEqual({
      id: first.id,
      type: 'WidgetMade',
      version: 1,
      occurredAt: '2026-03-04T05:06:07.891Z',
      correlationId: 'corr-outbox-1',
      causationId: 'cause-outbox-1',
      payload: first.payload,
    });
    expect(Object.keys(got1!.body).sort()).toEqual(
      ['causationId', 'correlationId', 'id', 'occurredAt', 'payload', 'type', 'version'].sort(),
    );
    expect(got2!.body).toMatchObject({ id: second.id, type: 'WidgetBroken', version: 2, payload: { why: 'x' } });
    expect(got1!.routingKey).toBe(ROUTING_KEY);
    expect(got2!.routingKey).toBe(OTHER_ROUTING_KEY);
    for (const [got, sent] of [
      [got1!, first],
      [got2!, second],
    ] as const) {
      const { properties } = got.message;
      expect(properties.deliveryMode).toBe(2);
      expect(properties.messageId).toBe(sent.id);
      expect(properties.type).toBe(sent.type);
      expect(properties.contentType).toBe('application/json');
      expect(properties.headers).toMatchObject({
        'x-correlation-id': 'corr-outbox-1',
        'x-causation-id': 'cause-outbox-1',
      });
    }

    await waitFor('rows marked published', async () => (await unpublishedOf([first.id, second.id])) === 0, 5_000);
    const rows = (await dataSource.query('SELECT published_at FROM outbox WHERE id = ANY($1::uuid[])', [
      [first.id, second.id],
    ])) as { published_at: Date | null }[];
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.published_at).toBeInstanceOf(Date);
  });

  it('writes null correlation and causation ids outside a message context', async () => {
    const { writer } = await startRelay({ pollIntervalMs: 60_000 });
    const message = aMessage();
    await transactions.run(() => writer.append([message]));
    await waitFor('the event', () => deliveriesOf([message.id]).length === 1, 5_000);
    expect(deliveriesOf([message.id])[0]!.body).toMatchObject({ correlationId: null, causationId: null });
  });

  it('never publishes the rows of a transaction that rolled back', async () => {
    const { writer } = await startRelay({ pollIntervalMs: 200 });
    const doomed = aMessage();
    const kept = aMessage();

    await expect(
      transactions.run(async () => {
        await writer.append([doomed]);
        throw new Error('business rule broken');
      }),
    ).rejects.toThrow('business rule broken');
    await transactions.run(() => writer.append([kept]));

    await waitFor('the committed event', () => deliveriesOf([kept.id]).length === 1, 5_000);
    await sleep(800); // several polls
    expect(deliveriesOf([doomed.id])).toHaveLength(0);
    const rows = (await dataSource.query('SELECT id FROM outbox WHERE id = $1', [doomed.id])) as unknown[];
    expect(rows).toHaveLength(0);
  });

  it('publishes rows inserted without a signal on its next poll', async () => {
    await startRelay({ pollIntervalMs: 200 });
    await sleep(100);
    const messages = [aMessage(), aMessage()];
    await insertDirectly(messages);
    const insertedAt = Date.now();

    await waitFor('the polled events', () => deliveriesOf(messages.map((m) => m.id)).length === 2, 5_000);
    expect(Date.now() - insertedAt).toBeLessThan(2_000);
    await waitFor('rows marked published', async () => (await unpublishedOf(messages.map((m) => m.id))) === 0);
  });

  it('publishes in position order, across batches, whatever the ids and occurrence times', async () => {
    // Descending times and random ids: only `position` gives the insertion order.
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    const messages = Array.from({ length: 120 }, (_, i) =>
      aMessage({ occurredAt: new Date(base - i * 1000), payload: { seq: i } }),
    );
    await insertDirectly(messages.slice(0, 60));
    await insertDirectly(messages.slice(60));
    await startRelay({ pollIntervalMs: 200, batchSize: 50 });

    const ids = messages.map((m) => m.id);
    await waitFor('all ordered events', () => deliveriesOf(ids).length === ids.length);
    expect(deliveriesOf(ids).map((d) => d.messageId)).toEqual(ids);
    expect(deliveriesOf(ids).map((d) => (d.body.payload as { seq: number }).seq)).toEqual(messages.map((_, i) => i));
  });

  it('publishes 300 rows, each exactly once, and marks them all', async () => {
    const { writer } = await startRelay({ pollIntervalMs: 200 });
    const messages = Array.from({ length: 300 }, (_, i) => aMessage({ payload: { seq: i } }));
    // Several transactions, each waking the relay while it may still be draining the previous ones.
    for (let i = 0; i < messages.length; i += 60) {
      await transactions.run(() => writer.append(messages.slice(i, i + 60)));
    }
    const ids = messages.map((m) => m.id);

    await waitFor('300 distinct events', () => new Set(deliveriesOf(ids).map((d) => d.messageId)).size === 300);
    await waitFor('rows marked published', async () => (await unpublishedOf(ids)) === 0);
    await sleep(600); // a few more polls: nothing is published again
    const counts = countById(ids);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(deliveriesOf(ids)).toHaveLength(300);
  });

  it('shares the rows between two relays on one database without publishing any twice', async () => {
    const otherDataSource = await openDatabase();
    const otherAmqp = await openAmqp('second');
    const spyA = jest.spyOn(dataSource, 'transaction');
    const spyB = jest.spyOn(otherDataSource, 'transaction');
    try {
      const { relay: relayA } = await startRelay({ pollIntervalMs: 200, batchSize: 50 });
      const { relay: relayB } = await startRelay({
        pollIntervalMs: 200,
        batchSize: 50,
        on: otherDataSource,
        via: otherAmqp,
      });
      const messages = Array.from({ length: 500 }, (_, i) => aMessage({ payload: { seq: i } }));
      spyA.mockClear();
      spyB.mockClear();
      await insertDirectly(messages);
      relayA.kick();
      relayB.kick();
      const ids = messages.map((m) => m.id);

      await waitFor(
        '500 distinct events',
        () => new Set(deliveriesOf(ids).map((d) => d.messageId)).size === 500,
        20_000,
      );
      await waitFor('rows marked published', async () => (await unpublishedOf(ids)) === 0);
      await sleep(800);
      const counts = countById(ids);
      expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(deliveriesOf(ids)).toHaveLength(500);

      // Both took part: publishBatch returns the row count of its transaction. (Exactly-once is
      // proven above by the deliveries; the transactions also count relay shutdown passes.)
      const published = async (spy: typeof spyA): Promise<number> => {
        let sum = 0;
        for (const result of spy.mock.results) sum += Number(await (result.value as Promise<unknown>)) || 0;
        return sum;
      };
      const [byA, byB] = [await published(spyA), await published(spyB)];
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
    } finally {
      spyA.mockRestore();
      spyB.mockRestore();
    }
  }, 40_000);

  it('reports the unpublished count and the age of the oldest row while stopped', async () => {
    const { relay } = await startRelay({ pollIntervalMs: 200 });
    await relay.stop();
    await expect(relay.stats()).resolves.toEqual({ unpublished: 0, oldestAgeMs: 0, parked: 0 });

    const now = Date.now();
    const messages = [
      aMessage({ occurredAt: new Date(now - 5_000) }),
      aMessage({ occurredAt: new Date(now - 1_000) }),
      aMessage({ occurredAt: new Date(now) }),
    ];
    await insertDirectly(messages);
    await sleep(500); // a running relay would have published them by now
    expect(deliveriesOf(messages.map((m) => m.id))).toHaveLength(0);

    const stats = await relay.stats();
    expect(stats.unpublished).toBe(3);
    expect(typeof stats.oldestAgeMs).toBe('number');
    expect(stats.oldestAgeMs).toBeGreaterThanOrEqual(5_000);
    expect(stats.oldestAgeMs).toBeLessThan(5_000 + 3_000);

    // Published rows no longer count.
    await startRelay({ pollIntervalMs: 200 });
    await waitFor('rows published', async () => (await unpublishedOf(messages.map((m) => m.id))) === 0);
    await expect(relay.stats()).resolves.toEqual({ unpublished: 0, oldestAgeMs: 0, parked: 0 });
  });

  it('refuses to append outside a transaction', async () => {
    const writer = new OutboxWriter(transactions, new OutboxSignal());
    const message = aMessage();
    await expect(writer.append([message])).rejects.toThrow('outbox rows must be written inside a transaction');
    const rows = (await dataSource.query('SELECT id FROM outbox WHERE id = $1', [message.id])) as unknown[];
    expect(rows).toHaveLength(0);
    // Nothing to write is not an error, in a transaction or not.
    await expect(writer.append([])).resolves.toBeUndefined();
  });

  it('reopens its channel when the broker closes it while the connection stays up', async () => {
    const { writer } = await startRelay({ pollIntervalMs: 200 });
    await probeChannel.deleteExchange(exchange); // the next publish gets a 404, which closes the relay's channel
    const first = aMessage();
    await transactions.run(() => writer.append([first]));

    const exchangeExists = async (): Promise<boolean> => {
      const channel = await probe.createChannel();
      channel.on('error', () => undefined);
      return channel.checkExchange(exchange).then(
        () => channel.close().then(() => true),
        () => false,
      );
    };
    await waitFor('the reopened channel to declare the exchange again', exchangeExists, 15_000);
    await probeChannel.bindQueue(probeQueue, exchange, ROUTING_KEY);
    const second = aMessage();
    await transactions.run(() => writer.append([second]));

    // The first row may have gone out before the probe queue was bound again: the broker then
    // returned it and it was parked, not lost. A replay sends it once the binding is back.
    await waitFor('the second published', async () => (await unpublishedOf([second.id])) === 0, 15_000);
    await dataSource.query('UPDATE outbox SET parked_at = NULL WHERE parked_at IS NOT NULL');
    await waitFor('both rows published', async () => (await unpublishedOf([first.id, second.id])) === 0, 15_000);
    await waitFor('both delivered', () => deliveriesOf([first.id, second.id]).length >= 2);
    expect(countById([first.id]).get(first.id)).toBe(1);
    expect(countById([second.id]).get(second.id)).toBe(1);
  }, 30_000);
  it('parks an event no queue is bound for, counts it, and publishes it once replayed; news nobody needs is not parked', async () => {
    const { writer, relay } = await startRelay({ pollIntervalMs: 100 });
    const lost = aMessage({ routingKey: 'widgets.widget-lost.v1', type: 'WidgetLost' });
    const news = aMessage({ routingKey: 'widgets.widget-admired.v1', type: 'WidgetAdmired', mustBeReceived: false });
    const kept = aMessage();
    await transactions.run(() => writer.append([lost, news, kept]));

    await waitFor('the routable rows', async () => (await unpublishedOf([kept.id, news.id])) === 0);
    await waitFor('the unroutable row parked', async () => (await relay.stats()).parked === 1);
    const [row] = (await dataSource.query('SELECT published_at, parked_at, last_error FROM outbox WHERE id = $1', [
      lost.id,
    ])) as { published_at: Date | null; parked_at: Date | null; last_error: string }[];
    expect(row).toMatchObject({ published_at: null, parked_at: expect.any(Date) });
    expect(row!.last_error).toContain('widgets.widget-lost.v1');
    expect(await relay.stats()).toMatchObject({ unpublished: 0, parked: 1 });
    await sleep(300); // several polls: a parked row is left alone
    expect(deliveriesOf([lost.id])).toHaveLength(0);

    // The operator restores the binding, then replays (what scripts/outbox-replay.mjs does).
    await probeChannel.bindQueue(probeQueue, exchange, 'widgets.widget-lost.v1');
    await dataSource.query('UPDATE outbox SET parked_at = NULL, next_attempt_at = NULL WHERE parked_at IS NOT NULL');
    await waitFor('the replayed row delivered', () => deliveriesOf([lost.id]).length === 1);
    expect(await unpublishedOf([lost.id])).toBe(0);
    expect(await relay.stats()).toMatchObject({ unpublished: 0, parked: 0 });
  });
  it('purges inbox entries older than 14 days and published outbox rows older than 7, and keeps the rest', async () => {
    await dataSource.query('TRUNCATE inbox');
    const [oldEntry, recentEntry, oldRow, recentRow, unpublishedRow] = [1, 2, 3, 4, 5].map(() => randomUUID());
    await dataSource.query(
      `INSERT INTO inbox (message_id, consumer, processed_at)
       VALUES ($1, 'c', now() - interval '15 days'), ($2, 'c', now() - interval '13 days')`,
      [oldEntry, recentEntry],
    );
    await insertDirectly([aMessage({ id: oldRow }), aMessage({ id: recentRow }), aMessage({ id: unpublishedRow })]);
    await dataSource.query(`UPDATE outbox SET published_at = now() - interval '8 days' WHERE id = $1;`, [oldRow]);
    await dataSource.query(`UPDATE outbox SET published_at = now() - interval '6 days' WHERE id = $1`, [recentRow]);
    await dataSource.query(`UPDATE outbox SET next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [
      unpublishedRow,
    ]);

    await startRelay(); // cleans up at its first drain
    const inboxIds = async () =>
      ((await dataSource.query('SELECT message_id FROM inbox')) as { message_id: string }[]).map((r) => r.message_id);
    await waitFor('the old inbox entry purged', async () => !(await inboxIds()).includes(oldEntry));
    expect(await inboxIds()).toEqual([recentEntry]);
    const outboxIds = ((await dataSource.query('SELECT id FROM outbox ORDER BY position')) as { id: string }[]).map(
      (r) => r.id,
    );
    expect(outboxIds).toEqual([recentRow, unpublishedRow]);
  });
});
