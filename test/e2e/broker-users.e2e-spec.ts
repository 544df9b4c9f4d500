import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect, type ChannelModel } from 'amqplib';
import { OrdersEvents, PaymentsEvents, UsersEvents } from '@app/contracts';
import { orderBody, placeOrder, registerUser, waitForOrderStatus } from '../support/saga-invariants.js';
import { SystemUnderTest } from '../support/system-under-test.js';

/*
 * scripts/broker-users.mjs gives each app its own broker user. Run here on a vhost of its own
 * (created and deleted by this file with rabbitmqctl), with unique user names and prefix: each
 * user can do what its app needs and is refused the rest, by the broker itself.
 */
const id = randomBytes(4).toString('hex');
const vhost = `busauth-${id}`;
const userPrefix = `busauth-${id}-`;
const system = new SystemUnderTest({}, 'services', {});
const prefix = system.prefix;
const passwords = {
  gateway: `gw-${id}-password`,
  users: `us-${id}-password`,
  orders: `or-${id}-password`,
  payments: `pa-${id}-password`,
};
const exchange = `${prefix}events`;
const usersEventsQueue = `${prefix}users.events`;

type App = keyof typeof passwords;
const urlOf = (app: App) =>
  `amqp://${encodeURIComponent(userPrefix + app)}:${passwords[app]}@127.0.0.1:5672/${encodeURIComponent(vhost)}`;

function script(...args: string[]): string {
  return execFileSync(
    process.execPath,
    ['scripts/broker-users.mjs', '--vhost', vhost, '--prefix', prefix, '--user-prefix', userPrefix, ...args],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        BROKER_GATEWAY_PASSWORD: passwords.gateway,
        BROKER_USERS_PASSWORD: passwords.users,
        BROKER_ORDERS_PASSWORD: passwords.orders,
        BROKER_PAYMENTS_PASSWORD: passwords.payments,
      },
    },
  );
}

const connections: ChannelModel[] = [];
async function connectAs(app: App): Promise<ChannelModel> {
  const connection = await connect(urlOf(app));
  connection.on('error', () => undefined);
  connections.push(connection);
  return connection;
}

/** Publishes one persistent event as `app` and waits for the broker: 'confirmed', or the reason the channel was closed. */
async function publishAs(app: App, routingKey: string): Promise<string> {
  const channel = await (await connectAs(app)).createConfirmChannel();
  const closed = new Promise<string>((resolve) => {
    channel.on('error', (error: Error) => resolve(error.message));
  });
  channel.publish(exchange, routingKey, Buffer.from('{}'), { persistent: true });
  return Promise.race([channel.waitForConfirms().then(() => 'confirmed'), closed]);
}

/** Starts consuming `queue` as `app`: 'consuming', or why the broker refused. */
async function consumeAs(app: App, queue: string): Promise<string> {
  const channel = await (await connectAs(app)).createChannel();
  channel.on('error', () => undefined);
  return channel
    .consume(queue, () => undefined, { noAck: false })
    .then(
      // Closed at once: a consumer left here would take the service's messages and never ack them.
      async () => (await channel.close(), 'consuming'),
      (error: Error) => error.message,
    );
}

beforeAll(async () => {
  execFileSync('rabbitmqctl', ['add_vhost', vhost], { stdio: 'ignore' });
  const output = script();
  expect(output).toContain(`user ${userPrefix}orders: created`);
  // Idempotent: a second run sets the same users again.
  expect(script()).toContain(`user ${userPrefix}orders: exists, password set`);
  // The topology as the services declare it, each with its own user.
  for (const app of ['users', 'orders'] as const) {
    const channel = await (await connectAs(app)).createChannel();
    await channel.assertExchange(exchange, 'topic', { durable: true });
    await channel.assertQueue(`${prefix}${app}.events`, { durable: true });
    await channel.assertQueue(`${prefix}${app}.events.dlq`, { durable: true });
    await channel.bindQueue(`${prefix}${app}.events`, exchange, app === 'users' ? 'orders.#' : 'users.#');
    await channel.close();
  }
}, 180_000); // rabbitmqctl starts an Erlang VM per call: about a second each, more on a busy machine

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
  await system.stop().catch(() => undefined);
  try {
    script('--delete');
  } finally {
    execFileSync('rabbitmqctl', ['delete_vhost', vhost], { stdio: 'ignore' });
  }
}, 120_000);

describe('topic permissions on the events exchange', () => {
  it('refuses orders a users.* routing key (ACCESS_REFUSED, channel closed)', async () => {
    const outcome = await publishAs('orders', UsersEvents.creditReserved.routingKey);
    expect(outcome).toMatch(/ACCESS_REFUSED/);
    expect(outcome).toContain(UsersEvents.creditReserved.routingKey);
  });

  it('refuses users an orders.* routing key', async () => {
    expect(await publishAs('users', OrdersEvents.orderPlaced.routingKey)).toMatch(/ACCESS_REFUSED/);
    expect(await publishAs('users', OrdersEvents.orderCancelled.routingKey)).toMatch(/ACCESS_REFUSED/);
  });

  it('refuses payments an orders.* or users.* routing key', async () => {
    expect(await publishAs('payments', OrdersEvents.paymentRequested.routingKey)).toMatch(/ACCESS_REFUSED/);
    expect(await publishAs('payments', UsersEvents.creditReserved.routingKey)).toMatch(/ACCESS_REFUSED/);
  });

  it('refuses orders and users a payments.* routing key', async () => {
    expect(await publishAs('orders', PaymentsEvents.paymentCaptured.routingKey)).toMatch(/ACCESS_REFUSED/);
    expect(await publishAs('users', PaymentsEvents.paymentRefunded.routingKey)).toMatch(/ACCESS_REFUSED/);
  });

  it('refuses the gateway any event', async () => {
    expect(await publishAs('gateway', OrdersEvents.orderPlaced.routingKey)).toMatch(/ACCESS_REFUSED/);
  });

  it('lets each service publish the routing keys it owns', async () => {
    expect(await publishAs('orders', OrdersEvents.orderPlaced.routingKey)).toBe('confirmed');
    expect(await publishAs('users', UsersEvents.creditReserved.routingKey)).toBe('confirmed');
    expect(await publishAs('payments', PaymentsEvents.paymentCaptured.routingKey)).toBe('confirmed');
  });
});

describe('queue permissions', () => {
  it("refuses orders the users' event queue", async () => {
    expect(await consumeAs('orders', usersEventsQueue)).toMatch(/ACCESS_REFUSED/);
  });

  it("refuses payments the users' event queue", async () => {
    expect(await consumeAs('payments', usersEventsQueue)).toMatch(/ACCESS_REFUSED/);
  });

  it('refuses the gateway the event queues', async () => {
    expect(await consumeAs('gateway', usersEventsQueue)).toMatch(/ACCESS_REFUSED/);
  });

  it('refuses orders declaring or deleting a queue of users', async () => {
    const channel = await (await connectAs('orders')).createChannel();
    channel.on('error', () => undefined);
    await expect(channel.deleteQueue(usersEventsQueue)).rejects.toThrow(/ACCESS_REFUSED/);
  });

  it('lets users consume its own queue', async () => {
    expect(await consumeAs('users', usersEventsQueue)).toBe('consuming');
  });
});

describe('the system on per-service broker users', () => {
  beforeAll(async () => {
    for (const app of ['users', 'orders', 'payments', 'gateway'] as const) {
      system.appSettings[app] = { AMQP_URL: urlOf(app) };
    }
    await system.start(['users', 'orders', 'payments', 'gateway']);
  }, 90_000);

  it('confirms an order end to end: RPC, events between the three services, each app on its own user', async () => {
    const user = await registerUser(system, 'broker');
    const placed = await placeOrder(system, user.token, { body: orderBody(1500) });
    expect(placed.status).toBe(201);
    const settled = await waitForOrderStatus(system, user.token, placed.body.id, ['CONFIRMED', 'REJECTED']);
    expect(settled.body.status).toBe('CONFIRMED');
    expect(settled.body.paymentStatus).toBe('CAPTURED');
    const log = system.logLines().map((l) => l.line);
    expect(log.join('\n')).not.toMatch(/ACCESS_REFUSED/);
  }, 60_000);
});
