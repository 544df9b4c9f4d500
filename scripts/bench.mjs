// `npm run bench`: starts gateway, users and orders from dist/ (own databases and queue
// prefix), loads them with autocannon over loopback, and prints throughput, latency and memory.
// `npm run bench -- monolith`: the same load on the modular monolith (one process).
// Needs Postgres and RabbitMQ on localhost, like the tests. Figures, not assertions.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import amqplib from 'amqplib';
import pg from 'pg';

const SHAPE = process.argv[2] === 'monolith' ? 'monolith' : 'services';
const APPS = SHAPE === 'monolith' ? ['monolith'] : ['users', 'orders', 'gateway'];
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const id = randomUUID().slice(0, 8);
const prefix = `bench-${id}.`;
const databases = { users: `users_bench_${id}`, orders: `orders_bench_${id}` };
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', password: process.env.DB_PASSWORD ?? '' };

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const gatewayPort = await freePort();
const ports = { gateway: gatewayPort, monolith: gatewayPort, users: await freePort(), orders: await freePort() };
const env = {
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DB_HOST: PG.host, // the monolith too: the figures compare the same database server
  AMQP_PREFIX: prefix,
  USERS_DB_NAME: databases.users,
  ORDERS_DB_NAME: databases.orders,
  GATEWAY_PORT: String(ports.gateway),
  USERS_HTTP_PORT: String(ports.users),
  ORDERS_HTTP_PORT: String(ports.orders),
  CREDIT_LIMIT_DEFAULT_CENTS: '1000000000000',
  // Limits on, so their cost is measured, but far above what one loopback client sends.
  ...Object.fromEntries(
    [
      'RATE_LIMIT_IP_PER_MINUTE',
      'RATE_LIMIT_USER_PER_MINUTE',
      'RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE',
      'RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE',
      'RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE',
      'RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE',
    ].map((name) => [name, '100000000']),
  ),
  JWT_PRIVATE_KEY: '',
  JWT_PUBLIC_KEY: '',
};
// Production mode wants real keys: make a throwaway pair for this run.
{
  const { generateKeyPairSync } = await import('node:crypto');
  const pair = generateKeyPairSync('ed25519');
  env.JWT_PRIVATE_KEY = pair.privateKey.export({ type: 'pkcs8', format: 'pem' });
  env.JWT_PUBLIC_KEY = pair.publicKey.export({ type: 'spki', format: 'pem' });
}

const children = {};
async function startApp(name) {
  const child = spawn(process.execPath, [`dist/apps/${name}/main.js`], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children[name] = child;
  const started = Date.now();
  const deadline = started + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${ports[name]}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      console.log(`${name}: spawn → /health/ready 200 in ${Date.now() - started} ms`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not become ready`);
}

const rssMb = (name) => {
  const status = readFileSync(`/proc/${children[name].pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
};
const memory = () =>
  Object.keys(children)
    .map((name) => `${name} ${rssMb(name)} MB`)
    .join(', ');

const api = `http://127.0.0.1:${ports.gateway}/api/v1`;
async function post(path, body, headers = {}) {
  const response = await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return response.json();
}

function report(title, result) {
  console.log(
    `${title}: ${Math.round(result.requests.average)} req/s, latency p50 ${result.latency.p50} ms, ` +
      `p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
  );
}

/** What /metrics says after the run: the series an operator would look at first. */
async function printMetrics() {
  const wanted = [
    /^saga_outcomes_total/,
    /^messages_(consumed|retried|dead_lettered)_total/,
    /^outbox_(published_total|unpublished_rows|oldest_unpublished_age_seconds)/,
    /^rpc_server_duration_seconds_count/,
    /^http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/orders"/,
  ];
  console.log('\nmetrics after the run:');
  for (const name of APPS) {
    const text = await fetch(`http://127.0.0.1:${ports[name]}/metrics`).then((r) => r.text());
    for (const line of text.split('\n')) {
      if (wanted.some((re) => re.test(line)) && !line.endsWith(' 0')) console.log(`  ${line}`);
    }
  }
}

async function cleanUp() {
  await Promise.all(
    Object.values(children).map(
      (child) =>
        new Promise((resolve) =>
          child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM')),
        ),
    ),
  );
  const client = new pg.Client({ ...PG, database: 'postgres' });
  await client.connect();
  for (const db of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  await client.end();
  const connection = await amqplib.connect('amqp://guest:guest@127.0.0.1:5672');
  const channel = await connection.createChannel();
  for (const queue of ['users.rpc', 'orders.rpc', 'users.events', 'orders.events']) {
    for (const suffix of ['', '.dlq', '.retry.1000ms', '.retry.2000ms', '.retry.4000ms', '.retry.8000ms']) {
      await channel.deleteQueue(`${prefix}${queue}${suffix}`);
    }
  }
  await channel.deleteExchange(`${prefix}events`);
  await connection.close();
}

try {
  console.log(`shape: ${SHAPE}`);
  for (const name of APPS) await startApp(name);
  console.log(`idle RSS: ${memory()}`);

  // One user per connection, as real traffic is spread over users (one user's orders serialise
  // on its credit row by design).
  const tokens = [];
  for (let i = 0; i < CONNECTIONS; i += 1) {
    const email = `bench-${id}-${i}@example.com`;
    await post('/auth/register', { email, password: 'bench-password', name: 'Bench' });
    tokens.push((await post('/auth/login', { email, password: 'bench-password' })).accessToken);
  }
  const auth = { authorization: `Bearer ${tokens[0]}` };
  let next = 0;
  const anyUser = () => `Bearer ${tokens[(next += 1) % tokens.length]}`;
  const order = await post(
    '/orders',
    { currency: 'EUR', items: [{ sku: 'BENCH', quantity: 1, unitPriceCents: 100 }] },
    { ...auth, 'idempotency-key': randomUUID() },
  );

  console.log(
    `\nreads: GET /api/v1/orders/:id (auth, validation, RPC, read model), ${CONNECTIONS} connections, ${DURATION_S} s`,
  );
  report(
    '  GET /orders/:id',
    await autocannon({
      url: `${api}/orders/${order.id}`,
      headers: auth,
      connections: CONNECTIONS,
      duration: DURATION_S,
    }),
  );
  report(
    '  GET /users/me  ',
    await autocannon({ url: `${api}/users/me`, headers: auth, connections: CONNECTIONS, duration: DURATION_S }),
  );
  console.log(`RSS after reads: ${memory()}`);

  console.log(`\nwrites: POST /api/v1/orders (one transaction: order, lines, view, idempotency key, outbox)`);
  const started = Date.now();
  const writes = await autocannon({
    url: `${api}/orders`,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ currency: 'EUR', items: [{ sku: 'BENCH', quantity: 1, unitPriceCents: 100 }] }),
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          headers: { ...request.headers, authorization: anyUser(), 'idempotency-key': randomUUID() },
        }),
      },
    ],
  });
  report('  POST /orders   ', writes);

  const orders = new pg.Client({ ...PG, database: databases.orders });
  await orders.connect();
  let pending = Infinity;
  while (pending > 0 && Date.now() - started < 300_000) {
    const { rows } = await orders.query(
      `SELECT count(*) FILTER (WHERE status = 'PENDING')::int AS pending FROM orders`,
    );
    pending = rows[0].pending;
    if (pending > 0) await new Promise((r) => setTimeout(r, 200));
  }
  const { rows } = await orders.query(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'CONFIRMED')::int AS confirmed,
            extract(epoch FROM max(updated_at) - min(created_at)) AS seconds,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at) * 1000) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at) * 1000) AS p99
       FROM orders WHERE status <> 'PENDING' AND created_at >= $1`,
    [new Date(started)],
  );
  await orders.end();
  const saga = rows[0];
  console.log(
    `  saga: ${saga.confirmed}/${saga.n} orders CONFIRMED, ${Math.round(saga.n / Number(saga.seconds))} orders/s end to end ` +
      `(first placed → last answered), placed→CONFIRMED p50 ${Math.round(saga.p50)} ms, p99 ${Math.round(saga.p99)} ms`,
  );
  console.log(`RSS after writes: ${memory()}`);
  await printMetrics();
} finally {
  await cleanUp();
}
