import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Module, UseFilters, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern, Payload } from '@nestjs/microservices';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  CommonErrorCodes,
  OrdersEvents,
  authenticatedSchema,
  defineRpc,
  type IntegrationEvent,
  type OrderPlacedV1,
} from '@app/contracts';
import { DomainError } from '@app/ddd';
import {
  TransactionRunner,
  currentMessageContext,
  openDataSource,
  runInMessageContext,
  type MessageContext,
} from '@app/platform';
import { PG, dropDatabases, testDatabaseName } from '../../../../test/support/postgres-test-kit.js';
import type { EventConsumerOptions } from '../events/event-consumer-options.js';
import { subscribe } from '../events/event-subscription.js';
import type { EventConsumerHandle } from '../events/event-transport.js';
import { outboxMessageOf } from '../outbox/outbox-message-of.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import {
  addOutboxParkingV2,
  createDeadLettersTableV1,
  createInboxTableV1,
  createOutboxTableV1,
} from '../outbox/outbox-schema.js';
import { OutboxSignal } from '../outbox/outbox-signal.js';
import { OutboxWriter } from '../outbox/outbox-writer.js';
import { RpcErrorFilter } from '../rpc/rpc-error.filter.js';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError } from '../rpc/rpc-errors.js';
import { RpcHandler } from '../rpc/rpc-handler.decorator.js';
import { InProcessBroker } from './in-process-broker.js';
import { InProcessEventTransport } from './in-process-events.js';
import { InProcessRpcClient } from './in-process-rpc.client.js';
import { InProcessRpcServer } from './in-process-rpc.server.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

// ---------------------------------------------------------------------------------------------
// RPC: a tiny context served on the in-process broker
// ---------------------------------------------------------------------------------------------

class WidgetMissingError extends DomainError {
  readonly code = 'WIDGET_MISSING';
}

/** What the handlers saw and answered, to compare with what the caller got. */
const rpcSeen: {
  request?: Record<string, unknown>;
  reply?: Record<string, unknown>;
  slowStarted: number;
  slowFinishedAt?: number;
  shipped: number;
} = { slowStarted: 0, shipped: 0 };

/** Test RPCs; the service named is not used by the in-process transport. */
const widget = <TRequest>(name: string, request: z.ZodType<TRequest>) =>
  defineRpc({ service: 'users', name, grpcMethod: name, request, response: z.unknown(), idempotent: false });

const Widgets = {
  echo: widget('widgets.echo', z.looseObject({})),
  missing: widget('widgets.missing', z.object({})),
  crash: widget('widgets.crash', z.object({})),
  slow: widget('widgets.slow', z.object({ ms: z.int().min(0) })),
  ship: widget(
    'widgets.ship',
    authenticatedSchema.extend({ parcels: z.array(z.object({ sku: z.string().min(1, 'must not be empty') })) }),
  ),
};

@Controller()
@UseFilters(RpcErrorFilter)
class WidgetsRpcController {
  @RpcHandler(Widgets.echo)
  echo(@Payload() payload: Record<string, unknown>): Record<string, unknown> {
    rpcSeen.request = payload;
    const reply = {
      received: payload,
      receivedWhenType: typeof payload.when,
      context: currentMessageContext() ?? null,
      madeAt: new Date('2026-03-04T05:06:07.891Z'),
      list: [1, 2, 3],
    };
    rpcSeen.reply = reply;
    // The handler changes what it got: none of it may reach the caller's object.
    (payload.tags as string[]).push('handler');
    (payload.nested as Record<string, unknown>).touched = true;
    payload.n = 99;
    return reply;
  }

  @RpcHandler(Widgets.missing)
  missing(): never {
    throw new WidgetMissingError('no widget 7', { widgetId: 7 });
  }

  @RpcHandler(Widgets.crash)
  crash(): never {
    throw new Error('SELECT * FROM secrets failed');
  }

  @RpcHandler(Widgets.slow)
  async slow(@Payload() payload: { ms: number }): Promise<string> {
    rpcSeen.slowStarted += 1;
    await sleep(payload.ms);
    rpcSeen.slowFinishedAt = Date.now();
    return 'late';
  }

  @RpcHandler(Widgets.ship)
  ship(@Payload() payload: { parcels: { sku: string }[] }): number {
    rpcSeen.shipped += 1;
    return payload.parcels.length;
  }

  /** A handler registered without a definition: there is no schema to parse its request with. */
  @MessagePattern('widgets.undefined')
  undefinedRpc(): string {
    return 'reached';
  }
}

@Module({ controllers: [WidgetsRpcController] })
class WidgetsModule {}

describe('in-process RPC (InProcessRpcServer + InProcessRpcClient)', () => {
  const broker = new InProcessBroker();
  const apps: INestMicroservice[] = [];
  let client: InProcessRpcClient;

  const startApp = async (queue: string): Promise<INestMicroservice> => {
    const app = await NestFactory.createMicroservice(WidgetsModule, {
      strategy: new InProcessRpcServer(broker, queue),
      logger: false,
    });
    apps.push(app);
    await app.listen(); // not init() first: Nest 12 would run the init hooks twice
    return app;
  };

  beforeAll(async () => {
    await startApp('widgets.rpc');
    client = new InProcessRpcClient(broker, 'widgets.rpc', 2_000);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('round-trips a reply, with request and reply copied as over JSON', async () => {
    expect(client.isReady).toBe(true);
    const when = new Date('2026-01-02T03:04:05.678Z');
    const request = { n: 1, tags: ['a'], nested: { deep: true }, when };

    const reply = (await runInMessageContext({ correlationId: 'corr-rpc-1', causationId: null }, () =>
      client.send('widgets.echo', request),
    )) as Record<string, unknown>;

    // The caller's object is untouched by the handler's mutations...
    expect(request).toEqual({ n: 1, tags: ['a'], nested: { deep: true }, when });
    expect(request.when).toBeInstanceOf(Date);
    // ...because the handler got a copy (its Date already an ISO string), not the caller's object.
    expect(rpcSeen.request).not.toBe(request);
    expect(rpcSeen.request!.nested).not.toBe(request.nested);
    expect(rpcSeen.request).toEqual({
      n: 99,
      tags: ['a', 'handler'],
      nested: { deep: true, touched: true },
      when: '2026-01-02T03:04:05.678Z',
    });
    expect(reply.receivedWhenType).toBe('string');

    // The reply is a JSON copy of what the handler returned, not the same object.
    expect(reply).not.toBe(rpcSeen.reply);
    expect(reply.received).not.toBe(rpcSeen.request);
    expect(reply.list).not.toBe(rpcSeen.reply!.list);
    expect(reply.madeAt).toBe('2026-03-04T05:06:07.891Z');
    expect(reply.received).toEqual({
      n: 99,
      tags: ['a', 'handler'],
      nested: { deep: true, touched: true },
      when: '2026-01-02T03:04:05.678Z',
    });
    // The caller's correlation id reaches the handler; the request message is the causation.
    const context = reply.context as MessageContext;
    expect(context.correlationId).toBe('corr-rpc-1');
    expect(context.causationId).toMatch(/^[0-9a-f-]{36}$/);

    // Later changes on either side do not reach the other.
    (rpcSeen.reply!.list as number[]).push(4);
    expect(reply.list).toEqual([1, 2, 3]);
    (reply.list as number[]).push(5);
    expect(rpcSeen.reply!.list).toEqual([1, 2, 3, 4]);
  });

  it('answers a domain error as RpcRemoteError with its code, message and details; hides internals', async () => {
    const domain = await client.send('widgets.missing', {}).catch((e: unknown) => e);
    expect(domain).toBeInstanceOf(RpcRemoteError);
    expect((domain as RpcRemoteError).body).toEqual({
      code: 'WIDGET_MISSING',
      message: 'no widget 7',
      details: { widgetId: 7 },
    });
    expect((domain as RpcRemoteError).message).toBe('no widget 7');

    const crash = await client.send('widgets.crash', {}).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(RpcRemoteError);
    expect((crash as RpcRemoteError).body).toEqual({ code: CommonErrorCodes.internal, message: 'internal error' });
  });

  it('parses each request with its definition before the handler runs: the typed call, and the refusals', async () => {
    await expect(client.call(Widgets.ship, { accessToken: 't', parcels: [{ sku: 'a' }, { sku: 'b' }] })).resolves.toBe(
      2,
    );
    expect(rpcSeen.shipped).toBe(1);

    const invalid = await client
      .send('widgets.ship', { accessToken: 't', parcels: [{ sku: 'a' }, { sku: '' }, {}] })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(RpcRemoteError);
    expect((invalid as RpcRemoteError).body).toEqual({
      code: CommonErrorCodes.validationFailed,
      message: expect.stringContaining('parcels.1.sku must not be empty'),
      details: {
        fields: [
          { field: 'parcels.1.sku', message: 'must not be empty' },
          { field: 'parcels.2.sku', message: expect.any(String) },
        ],
      },
    });

    // No access token: the caller is unknown, whatever else is wrong with the request.
    const anonymous = await client.send('widgets.ship', { parcels: 'none' }).catch((e: unknown) => e);
    expect((anonymous as RpcRemoteError).body.code).toBe(CommonErrorCodes.unauthenticated);

    const bare = await client.send('widgets.undefined', {}).catch((e: unknown) => e);
    expect((bare as RpcRemoteError).body).toEqual({ code: CommonErrorCodes.internal, message: 'internal error' });
    expect(rpcSeen.shipped).toBe(1);
  });

  it('answers an unknown pattern with NO_HANDLER', async () => {
    const error = await client.send('widgets.unknown', { x: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RpcRemoteError);
    expect((error as RpcRemoteError).body.code).toBe(CommonErrorCodes.noHandler);
    expect((error as RpcRemoteError).body.message).toContain('widgets.unknown');
  });

  it('fails with RpcTimeoutError at the deadline when the handler is slower', async () => {
    const started = Date.now();
    const error = await client.send('widgets.slow', { ms: 1_500 }, { timeoutMs: 200 }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(RpcTimeoutError);
    expect((error as RpcTimeoutError).pattern).toBe('widgets.slow');
    expect((error as RpcTimeoutError).timeoutMs).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1_000);
    // The default deadline is the client's own when the call gives none.
    const quick = new InProcessRpcClient(broker, 'widgets.rpc', 150);
    await expect(quick.send('widgets.slow', { ms: 1_500 })).rejects.toBeInstanceOf(RpcTimeoutError);
  });

  it('fails at once as unavailable when nothing serves the queue; close() drains the request in hand', async () => {
    // Never started.
    const nowhere = new InProcessRpcClient(broker, 'never-started.rpc', 3_000);
    expect(nowhere.isReady).toBe(false);
    let started = Date.now();
    const never = await nowhere.send('widgets.echo', {}).catch((e: unknown) => e);
    expect(never).toBeInstanceOf(RpcUnavailableError);
    expect((never as RpcUnavailableError).target).toBe('never-started.rpc');
    expect(Date.now() - started).toBeLessThan(100);

    // Closed while a request is in hand.
    const app = await startApp('gadgets.rpc');
    const gadgets = new InProcessRpcClient(broker, 'gadgets.rpc', 5_000);
    expect(gadgets.isReady).toBe(true);
    const slowBefore = rpcSeen.slowStarted;
    const inFlight = gadgets.send('widgets.slow', { ms: 400 });
    await waitFor('the slow handler to start', () => rpcSeen.slowStarted > slowBefore);
    rpcSeen.slowFinishedAt = undefined;

    const closing = app.close();
    expect(gadgets.isReady).toBe(false);
    started = Date.now();
    const refused = await gadgets.send('widgets.echo', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RpcUnavailableError);
    expect(Date.now() - started).toBeLessThan(100);

    await closing;
    const closedAt = Date.now();
    expect(rpcSeen.slowFinishedAt).toBeDefined();
    expect(closedAt).toBeGreaterThanOrEqual(rpcSeen.slowFinishedAt!);
    await expect(inFlight).resolves.toBe('late');

    // Still unavailable after the close, and the queue is free for a new server.
    await expect(gadgets.send('widgets.echo', {})).rejects.toBeInstanceOf(RpcUnavailableError);
    expect(broker.isServed('gadgets.rpc')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Events: producer outbox → relay → in-process broker → consumer inbox, on two databases
// ---------------------------------------------------------------------------------------------

interface Behaviour {
  /** Attempts that throw (after writing their effect) before one succeeds; Infinity: never succeeds. */
  failures?: number;
}

interface Call {
  event: IntegrationEvent<OrderPlacedV1>;
  context: MessageContext | undefined;
  inTransaction: boolean;
}

interface OutboxRowState {
  published_at: Date | null;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
}

interface DeadLetterRow {
  message_id: string;
  consumer: string;
  routing_key: string;
  body: string;
  headers: Record<string, unknown>;
  reason: string;
  attempts: number;
  failed_at: Date;
}

describe('in-process events (OutboxRelay + InProcessEventTransport) against PostgreSQL', () => {
  const producerDatabase = testDatabaseName('inproc_producer');
  const consumerDatabase = testDatabaseName('inproc_consumer');
  const options: EventConsumerOptions = {
    queue: 'widgets.events',
    maxAttempts: 3,
    retryBaseDelayMs: 50,
    retryMaxDelayMs: 200,
    batchSize: 50,
    concurrency: 4,
  };

  let producer: DataSource;
  let consumerDb: DataSource;
  let producerTransactions: TransactionRunner;
  let consumerTransactions: TransactionRunner;
  let broker: InProcessBroker;
  const relays: OutboxRelay[] = [];
  const consumers: EventConsumerHandle[] = [];

  const behaviours = new Map<string, Behaviour>();
  const calls = new Map<string, Call[]>();
  const callsOf = (id: string): Call[] => calls.get(id) ?? [];

  const handler = async (event: IntegrationEvent<OrderPlacedV1>): Promise<void> => {
    const seen = [
      ...callsOf(event.id),
      { event, context: currentMessageContext(), inTransaction: consumerTransactions.inTransaction },
    ];
    calls.set(event.id, seen);
    // The handler's effect, in the consumer's transaction: kept only if the attempt succeeds.
    await consumerTransactions.manager.query('INSERT INTO effects (message_id, n) VALUES ($1, $2)', [
      event.id,
      seen.length,
    ]);
    const behaviour = behaviours.get(event.payload.orderId) ?? {};
    if (seen.length <= (behaviour.failures ?? 0)) {
      throw new Error(`widget ledger unavailable (order ${event.payload.orderId}, attempt ${seen.length})`);
    }
  };

  const open = async (database: string): Promise<DataSource> =>
    openDataSource({ ...PG, database, poolSize: 10, migrationsRun: false, entities: [], migrations: [] });

  const startRelay = async (
    relayOptions: { pollIntervalMs?: number; batchSize?: number } = {},
  ): Promise<{ relay: OutboxRelay; writer: OutboxWriter }> => {
    const signal = new OutboxSignal();
    const relay = new OutboxRelay(producer, new InProcessEventTransport(broker).publisher(), signal, {
      batchSize: relayOptions.batchSize ?? 20,
      // Far beyond any test: whatever is delivered was kicked (commit, open, retry wake), not polled.
      pollIntervalMs: relayOptions.pollIntervalMs ?? 60_000,
    });
    relays.push(relay);
    await relay.start();
    return { relay, writer: new OutboxWriter(producerTransactions, signal) };
  };

  const startConsumer = async (): Promise<EventConsumerHandle> => {
    const consumer = new InProcessEventTransport(broker).consumer(consumerTransactions, options, [
      subscribe(OrdersEvents.orderPlaced, handler),
    ]);
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  };

  const placeOrder = async (
    writer: OutboxWriter,
    behaviour: Behaviour = {},
    context?: MessageContext,
  ): Promise<{ id: string; payload: OrderPlacedV1 }> => {
    const payload: OrderPlacedV1 = { orderId: randomUUID(), userId: randomUUID(), totalCents: 12_99, currency: 'EUR' };
    behaviours.set(payload.orderId, behaviour);
    const message = outboxMessageOf(OrdersEvents.orderPlaced, new Date(), payload);
    const write = () => producerTransactions.run(() => writer.append([message]));
    await (context ? runInMessageContext(context, write) : write());
    return { id: message.id, payload };
  };

  const outboxRow = async (id: string): Promise<OutboxRowState> => {
    const rows = (await producer.query(
      'SELECT published_at, attempts, next_attempt_at, last_error FROM outbox WHERE id = $1',
      [id],
    )) as OutboxRowState[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };
  const isPublished = async (id: string): Promise<boolean> => (await outboxRow(id)).published_at !== null;

  const inboxOf = async (id: string): Promise<string[]> =>
    ((await consumerDb.query('SELECT consumer FROM inbox WHERE message_id = $1', [id])) as { consumer: string }[]).map(
      (r) => r.consumer,
    );
  const effectsOf = async (id: string): Promise<number[]> =>
    ((await consumerDb.query('SELECT n FROM effects WHERE message_id = $1 ORDER BY n', [id])) as { n: number }[]).map(
      (r) => r.n,
    );
  const deadLettersOf = async (id: string): Promise<DeadLetterRow[]> =>
    (await consumerDb.query('SELECT * FROM dead_letters WHERE message_id = $1', [id])) as DeadLetterRow[];

  beforeAll(async () => {
    producer = await open(producerDatabase);
    consumerDb = await open(consumerDatabase);
    const producerRunner = producer.createQueryRunner();
    try {
      await createOutboxTableV1(producerRunner);
      await addOutboxParkingV2(producerRunner);
    } finally {
      await producerRunner.release();
    }
    const consumerRunner = consumerDb.createQueryRunner();
    try {
      await createInboxTableV1(consumerRunner);
      await createDeadLettersTableV1(consumerRunner);
      await consumerRunner.query('CREATE TABLE effects (message_id uuid NOT NULL, n int NOT NULL)');
    } finally {
      await consumerRunner.release();
    }
    producerTransactions = new TransactionRunner(producer);
    consumerTransactions = new TransactionRunner(consumerDb);
  }, 30_000);

  beforeEach(async () => {
    broker = new InProcessBroker();
    behaviours.clear();
    calls.clear();
    await producer.query('TRUNCATE outbox');
    await consumerDb.query('TRUNCATE inbox, dead_letters, effects');
  });

  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.stop();
    for (const relay of relays.splice(0)) await relay.stop();
  });

  afterAll(async () => {
    for (const consumer of consumers.splice(0)) await consumer.stop();
    for (const relay of relays.splice(0)) await relay.stop();
    for (const ds of [producer, consumerDb]) if (ds?.isInitialized) await ds.destroy();
    await dropDatabases([producerDatabase, consumerDatabase]);
  }, 30_000);

  it('delivers an event written in the producer transaction once: inbox row, outbox row published', async () => {
    await startConsumer();
    broker.open();
    const { writer } = await startRelay();

    const { id, payload } = await placeOrder(writer, {}, { correlationId: 'corr-ev-1', causationId: 'cause-ev-1' });
    await waitFor('the outbox row published', () => isPublished(id));

    const [call, ...more] = callsOf(id);
    expect(more).toHaveLength(0);
    expect(call!.event).toMatchObject({
      id,
      type: 'OrderPlaced',
      version: 1,
      correlationId: 'corr-ev-1',
      causationId: 'cause-ev-1',
      payload,
    });
    expect(call!.inTransaction).toBe(true);
    expect(call!.context).toEqual({ correlationId: 'corr-ev-1', causationId: id });
    expect(await inboxOf(id)).toEqual(['widgets.events']);
    expect(await effectsOf(id)).toEqual([1]);
    const row = await outboxRow(id);
    expect(row.published_at).toBeInstanceOf(Date);
    expect(row.attempts).toBe(0);
    expect(await deadLettersOf(id)).toHaveLength(0);

    await sleep(300);
    expect(callsOf(id)).toHaveLength(1);
  });

  it('holds events until the broker opens, then delivers at once without waiting for the poll', async () => {
    await startConsumer();
    const { writer } = await startRelay({ pollIntervalMs: 60_000 });
    expect(broker.isOpen).toBe(false);

    const { id } = await placeOrder(writer); // its commit kicks the relay, which must not deliver yet
    await sleep(500);
    expect(callsOf(id)).toHaveLength(0);
    const held = await outboxRow(id);
    expect(held.published_at).toBeNull();
    expect(held.attempts).toBe(0); // not even offered

    const openedAt = Date.now();
    broker.open();
    await waitFor('the outbox row published', () => isPublished(id), 5_000);
    expect(Date.now() - openedAt).toBeLessThan(2_000);
    expect(callsOf(id)).toHaveLength(1);
    expect(await inboxOf(id)).toEqual(['widgets.events']);
  });

  it('retries a failing handler after backoff, rolling back failed attempts, until it succeeds', async () => {
    await startConsumer();
    broker.open();
    const { writer } = await startRelay({ pollIntervalMs: 60_000 });

    const started = Date.now();
    const { id } = await placeOrder(writer, { failures: 2 });
    await waitFor('the outbox row published', () => isPublished(id));
    // Retries woke the relay themselves (50 ms, then 100 ms), not its 60 s poll.
    expect(Date.now() - started).toBeLessThan(5_000);

    expect(callsOf(id)).toHaveLength(3);
    expect(await effectsOf(id)).toEqual([3]); // the effects of attempts 1 and 2 were rolled back
    expect(await inboxOf(id)).toEqual(['widgets.events']);
    const row = await outboxRow(id);
    expect(row.attempts).toBe(2);
    expect(row.last_error).toContain('attempt 2');
    expect(await deadLettersOf(id)).toHaveLength(0);

    await sleep(300);
    expect(callsOf(id)).toHaveLength(3);
  });

  it('dead-letters an event whose handler always fails after maxAttempts, and stops offering it', async () => {
    await startConsumer();
    broker.open();
    const { writer } = await startRelay({ pollIntervalMs: 60_000 });

    const { id, payload } = await placeOrder(writer, { failures: Infinity });
    await waitFor('the dead letter', async () => (await deadLettersOf(id)).length === 1);

    const [dead] = await deadLettersOf(id);
    expect(dead!.consumer).toBe('widgets.events');
    expect(dead!.routing_key).toBe(OrdersEvents.orderPlaced.routingKey);
    expect(dead!.attempts).toBe(3);
    expect(dead!.reason).toContain(`widget ledger unavailable (order ${payload.orderId}, attempt 3)`);
    expect(dead!.failed_at).toBeInstanceOf(Date);
    expect(JSON.parse(dead!.body)).toMatchObject({ id, type: 'OrderPlaced', version: 1, payload });
    expect(callsOf(id)).toHaveLength(3);
    expect(await effectsOf(id)).toEqual([]);
    expect(await inboxOf(id)).toEqual([]);

    await waitFor('the outbox row published', () => isPublished(id));
    expect((await outboxRow(id)).attempts).toBe(2);
    await sleep(400); // several retry delays: nothing offers it again
    expect(callsOf(id)).toHaveLength(3);
    expect(await deadLettersOf(id)).toHaveLength(1);
  });

  it('replays a dead letter as the README says, once its cause is fixed: handled once', async () => {
    await startConsumer();
    broker.open();
    const { relay, writer } = await startRelay({ pollIntervalMs: 60_000 });
    const { id, payload } = await placeOrder(writer, { failures: Infinity });
    await waitFor('the dead letter', async () => (await deadLettersOf(id)).length === 1);
    await waitFor('the outbox row published', () => isPublished(id));

    behaviours.set(payload.orderId, { failures: 0 }); // the cause, fixed
    await producer.query('UPDATE outbox SET published_at = NULL, attempts = 0, next_attempt_at = NULL WHERE id = $1', [
      id,
    ]);
    await consumerDb.query('DELETE FROM dead_letters WHERE message_id = $1 AND consumer = $2', [id, 'widgets.events']);
    relay.kick();

    await waitFor('the outbox row published again', () => isPublished(id));
    expect(callsOf(id)).toHaveLength(4); // three failed attempts, then the replay
    expect(await effectsOf(id)).toEqual([4]);
    expect(await inboxOf(id)).toEqual(['widgets.events']);
    expect(await deadLettersOf(id)).toHaveLength(0);
  });

  it('dead-letters a payload that breaks the contract at once, without calling the handler', async () => {
    await startConsumer();
    broker.open();
    const { relay } = await startRelay({ pollIntervalMs: 60_000 });

    const id = randomUUID();
    await producer.query(
      `INSERT INTO outbox (id, type, routing_key, payload, headers, occurred_at) VALUES ($1, $2, $3, $4, $5, now())`,
      [
        id,
        'OrderPlaced',
        OrdersEvents.orderPlaced.routingKey,
        { orderId: 'not-a-uuid', userId: randomUUID(), totalCents: -5, currency: 'EUR' },
        { version: 1, correlationId: null, causationId: null },
      ],
    );
    relay.kick(); // written without the writer: no signal

    await waitFor('the dead letter', async () => (await deadLettersOf(id)).length === 1);
    const [dead] = await deadLettersOf(id);
    expect(dead!.attempts).toBe(1);
    expect(dead!.consumer).toBe('widgets.events');
    expect(dead!.reason).toContain('invalid payload');
    expect(dead!.reason).toContain('orderId');
    expect(callsOf(id)).toHaveLength(0);
    expect(await inboxOf(id)).toEqual([]);
    await waitFor('the outbox row published', () => isPublished(id));
    expect((await outboxRow(id)).attempts).toBe(0);
  });

  it('keeps an event for a stopped consumer in the outbox and delivers it to the next one', async () => {
    const first = await startConsumer();
    broker.open();
    await first.stop(); // bound for good, no longer attached
    const { writer } = await startRelay({ pollIntervalMs: 60_000 });

    // The handler fails once: its retry must still be there after the consumer's absence.
    const { id } = await placeOrder(writer, { failures: 1 });
    await waitFor('the event offered and refused', async () =>
      Boolean((await outboxRow(id)).last_error?.includes('widgets.events is not running')),
    );
    await new Promise((resolve) => setTimeout(resolve, 2500)); // refused again, at 1 s intervals
    const waiting = await outboxRow(id);
    expect(waiting.published_at).toBeNull();
    expect(waiting.attempts).toBe(0); // offers no handler saw use up no retry
    expect(callsOf(id)).toHaveLength(0);
    expect(await deadLettersOf(id)).toHaveLength(0);

    await startConsumer();
    await waitFor('the outbox row published', () => isPublished(id), 10_000);
    expect(callsOf(id)).toHaveLength(2);
    expect(await inboxOf(id)).toEqual(['widgets.events']);
    expect(await effectsOf(id)).toEqual([2]);
    expect(await deadLettersOf(id)).toHaveLength(0);
  });

  it('absorbs a duplicate delivery in the inbox: one effect', async () => {
    await startConsumer();
    broker.open();
    const { relay, writer } = await startRelay({ pollIntervalMs: 60_000 });

    const { id } = await placeOrder(writer);
    await waitFor('the outbox row published', () => isPublished(id));
    expect(callsOf(id)).toHaveLength(1);

    // As after a crash between the consumer's commit and the relay's: offered again.
    await producer.query('UPDATE outbox SET published_at = NULL WHERE id = $1', [id]);
    relay.kick();
    await waitFor('the outbox row published again', () => isPublished(id));

    expect(callsOf(id)).toHaveLength(1);
    expect(await effectsOf(id)).toEqual([1]);
    expect(await inboxOf(id)).toEqual(['widgets.events']);
    expect(await deadLettersOf(id)).toHaveLength(0);
    expect((await outboxRow(id)).attempts).toBe(0);
  });
});
