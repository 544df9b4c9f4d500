// The system under test, from dist/: gateway + users + orders + payments (services shape) or the modular
// monolith, in production mode, on its own databases and queue prefix, with throwaway JWT keys.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AMQP_URL, deleteTopology } from './broker.mjs';
import { dropDatabases, PG } from './pg.mjs';
import { freePorts } from './ports.mjs';
import { httpOk, spawnLogged, stopProcess, waitFor } from './processes.mjs';
import { runtimeEnv } from './runtime-env.mjs';

export const APPS = { services: ['users', 'orders', 'payments', 'gateway'], monolith: ['monolith'] };

// Set for the apps, so the bench knows their delay queues' names (<queue>.retry.<ms>ms) to delete.
const EVENTS = { EVENTS_MAX_ATTEMPTS: '5', EVENTS_RETRY_BASE_MS: '1000', EVENTS_RETRY_MAX_MS: '60000' };
const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000];

export const systemDatabases = (run) => ({
  users: `users_bench_${run.id}`,
  orders: `orders_bench_${run.id}`,
  payments: `payments_bench_${run.id}`,
});

async function systemEnv(run, transport) {
  const [gateway, users, orders, payments, management, usersGrpc, ordersGrpc, paymentsGrpc] = await freePorts(8);
  const ports = { gateway, monolith: gateway, users, orders, payments };
  // Where each app serves /metrics: the gateway's and the monolith's management port, the services' own.
  const metricsPorts = { gateway: management, monolith: management, users, orders, payments };
  const databases = systemDatabases(run);
  const keys = generateKeyPairSync('ed25519');
  const env = {
    ...process.env,
    ...runtimeEnv(),
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    LOG_PRETTY: 'false',
    HTTP_HOST: '127.0.0.1',
    // The monolith too: both shapes on the same database server, not an embedded one.
    DB_HOST: PG.host,
    DB_PORT: String(PG.port),
    DB_USER: PG.user,
    // Production refuses an empty or default password; the local server trusts the user anyway.
    DB_PASSWORD: PG.password || `bench-${run.id}`,
    AMQP_URL,
    AMQP_PREFIX: run.prefix,
    USERS_DB_NAME: databases.users,
    ORDERS_DB_NAME: databases.orders,
    PAYMENTS_DB_NAME: databases.payments,
    GATEWAY_PORT: String(ports.gateway),
    MANAGEMENT_PORT: String(management),
    USERS_HTTP_PORT: String(ports.users),
    ORDERS_HTTP_PORT: String(ports.orders),
    PAYMENTS_HTTP_PORT: String(ports.payments),
    // How the gateway calls the services; events take RabbitMQ either way.
    RPC_TRANSPORT: transport,
    USERS_GRPC_PORT: String(usersGrpc),
    ORDERS_GRPC_PORT: String(ordersGrpc),
    PAYMENTS_GRPC_PORT: String(paymentsGrpc),
    USERS_GRPC_TARGET: `dns:///127.0.0.1:${usersGrpc}`,
    ORDERS_GRPC_TARGET: `dns:///127.0.0.1:${ordersGrpc}`,
    PAYMENTS_GRPC_TARGET: `dns:///127.0.0.1:${paymentsGrpc}`,
    // Tracing would export to a collector; the bench sends nothing off this machine.
    OTEL_EXPORTER_OTLP_ENDPOINT: '',
    ...EVENTS,
    CREDIT_LIMIT_DEFAULT_CENTS: '1000000000000',
    JWT_TTL_SECONDS: '900',
    RATE_LIMIT_ENABLED: 'true',
    // Limits on, so their cost is measured, but far above what the load sends.
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
    ...(run.options.rateLimitStore === 'redis'
      ? {
          RATE_LIMIT_STORE: 'redis',
          REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
          RATE_LIMIT_REDIS_PREFIX: `bench-${run.id}:rate-limit:`,
        }
      : { RATE_LIMIT_STORE: 'memory' }),
    JWT_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    JWT_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }),
  };
  return { env, ports, metricsPorts };
}

/** Node flags for an app: CPU profile written at exit, heap snapshot on SIGUSR2. */
function nodeFlags(run, name) {
  const flags = [];
  if (run.options.cpuProf) flags.push('--cpu-prof', `--cpu-prof-dir=${join(run.profileDir, name)}`);
  if (run.options.heap) {
    // Node does not create the diagnostic directory.
    mkdirSync(join(run.heapDir, name), { recursive: true });
    flags.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${join(run.heapDir, name)}`);
  }
  return flags;
}

/**
 * As in production, each service on the broker as its own user, allowed only its own queues and
 * routing keys (scripts/broker-users.mjs; production refuses the guest account). Removed by
 * cleanUpSystem. Returns each app's AMQP_URL.
 */
function createBrokerUsers(run) {
  const password = randomBytes(12).toString('hex');
  const passwords = {
    BROKER_GATEWAY_PASSWORD: password,
    BROKER_USERS_PASSWORD: password,
    BROKER_ORDERS_PASSWORD: password,
    BROKER_PAYMENTS_PASSWORD: password,
  };
  execFileSync(
    process.execPath,
    ['scripts/broker-users.mjs', '--prefix', run.prefix, '--user-prefix', `bench-${run.id}-`],
    {
      env: { ...process.env, ...passwords },
      stdio: 'ignore',
    },
  );
  const url = (app) => AMQP_URL.replace('guest:guest', `bench-${run.id}-${app}:${password}`);
  return { gateway: url('gateway'), users: url('users'), orders: url('orders'), payments: url('payments') };
}

/**
 * Starts the shape's apps at once, the gateway calling the services over `transport`; resolves
 * when each answers /health/ready 200. Started again (a grpc run), it finds its databases as the
 * last start left them.
 */
export async function startSystem(run, transport = run.options.rpc) {
  const { env, ports, metricsPorts } = await systemEnv(run, transport);
  const names = APPS[run.options.shape];
  const brokerUrls = run.options.shape === 'services' ? createBrokerUsers(run) : {};
  const apps = {};
  const readyMs = {};
  const started = performance.now();
  for (const name of names) {
    apps[name] = spawnLogged(name, [...nodeFlags(run, name), `dist/apps/${name}/main.js`], {
      env: { ...env, AMQP_URL: brokerUrls[name] ?? env.AMQP_URL },
      logDir: run.logDir,
    });
  }
  await Promise.all(
    names.map(async (name) => {
      await waitFor(`${name} /health/ready`, httpOk(`http://127.0.0.1:${ports[name]}/health/ready`), {
        entries: Object.values(apps),
      });
      readyMs[name] = Math.round(performance.now() - started);
    }),
  );
  return {
    apps,
    ports,
    transport,
    readyMs,
    api: `http://127.0.0.1:${ports.gateway}/api/v1`,
    metricsUrls: Object.fromEntries(names.map((name) => [name, `http://127.0.0.1:${metricsPorts[name]}/metrics`])),
  };
}

async function post(url, body, headers = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Registers `count` users (a few at a time: hashing passwords is the slow part) and logs them in. */
export async function registerUsers(system, run, count) {
  const emails = Array.from({ length: count }, (_, i) => `bench-${run.id}-${i}@example.com`);
  const tokens = [];
  for (let i = 0; i < count; i += 5) {
    const batch = emails.slice(i, i + 5);
    await Promise.all(
      batch.map((email) => post(`${system.api}/auth/register`, { email, password: 'bench-password', name: 'Bench' })),
    );
    tokens.push(...(await logIn(system, batch)));
  }
  return { emails, tokens, at: Date.now() };
}

export async function logIn(system, emails) {
  const answers = await Promise.all(
    emails.map((email) => post(`${system.api}/auth/login`, { email, password: 'bench-password' })),
  );
  return answers.map((answer) => answer.accessToken);
}

export const placeOrder = (system, run, token) =>
  post(`${system.api}/orders`, run.orderBody, { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() });

export const stopSystem = (system) => Promise.all(Object.values(system.apps).map((app) => stopProcess(app)));

export async function cleanUpSystem(run) {
  await dropDatabases(Object.values(systemDatabases(run)));
  const queues = ['users.rpc', 'orders.rpc', 'payments.rpc'].map((queue) => run.prefix + queue);
  for (const queue of ['users.events', 'orders.events', 'payments.events'].map((name) => run.prefix + name)) {
    queues.push(queue, `${queue}.dlq`, ...RETRY_DELAYS_MS.map((ms) => `${queue}.retry.${ms}ms`));
  }
  await deleteTopology({ queues, exchanges: [`${run.prefix}events`] });
  if (run.options.shape === 'services') {
    execFileSync(process.execPath, ['scripts/broker-users.mjs', '--delete', '--user-prefix', `bench-${run.id}-`], {
      stdio: 'ignore',
    });
  }
}
