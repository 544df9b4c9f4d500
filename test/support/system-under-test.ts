import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AMQP_URL, deleteQueues } from './amqp-test-kit.js';
import { AppProcess, type AppName } from './app-process.js';
import { freePorts } from './free-port.js';
import { deleteEventTopology } from './event-topology-cleanup.js';
import { PG, dropDatabases } from './postgres-test-kit.js';

const GENEROUS_RATE_LIMITS = [
  'RATE_LIMIT_IP_PER_MINUTE',
  'RATE_LIMIT_USER_PER_MINUTE',
  'RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE',
  'RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE',
  'RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE',
  'RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE',
];

export const ADMIN = { email: 'admin@e2e.test', password: 'admin-password-1' };

/**
 * How the system runs: `services` (gateway, users, orders, payments as processes over RabbitMQ),
 * `grpc` (the same processes, RPC over gRPC, events still over RabbitMQ) or `monolith` (one
 * process, in-process transport). The parity suites run in all three (the `e2e-grpc` and
 * `e2e-monolith` jest projects set E2E_SHAPE); every other suite in the default one.
 */
export type Shape = 'services' | 'grpc' | 'monolith';

export function shapeUnderTest(): Shape {
  const shape = process.env.E2E_SHAPE;
  return shape === 'monolith' || shape === 'grpc' ? shape : 'services';
}

/**
 * The whole system as real processes, isolated for one test file: its own databases, its own
 * queue prefix, its own ports and JWT key folder. `stop()` removes all of it.
 */
export class SystemUnderTest {
  readonly id = randomBytes(4).toString('hex');
  readonly prefix = `e2e-${this.id}.`;
  readonly databases = {
    users: `users_e2e_${this.id}`,
    orders: `orders_e2e_${this.id}`,
    payments: `payments_e2e_${this.id}`,
  };
  readonly apps = new Map<AppName, AppProcess>();
  /** Further replicas started with `addReplica()`, in start order (the first of each app is in `apps`). */
  readonly replicas: AppProcess[] = [];
  /** Where the gateway keeps its (generated) JWT key pair: tests sign tokens with it. */
  readonly keysDir = mkdtempSync(join(tmpdir(), 'e2e-keys-'));
  gatewayUrl = '';
  /**
   * The broker the checks and the clean-up talk to directly (not through any fault proxy): the
   * machine's RabbitMQ unless a suite runs its own (a cluster).
   */
  brokerUrl = AMQP_URL;
  /** The environment every app of this system got (set by `start()`). */
  private env: Record<string, string> | null = null;
  private ports: Record<AppName, number> | null = null;

  /** `settings`: environment overrides for every app of this system; `appSettings`: for one app (its own broker user). */
  constructor(
    readonly settings: Record<string, string> = {},
    readonly shape: Shape = shapeUnderTest(),
    readonly appSettings: Partial<Record<AppName, Record<string, string>>> = {},
  ) {}

  get api(): string {
    return `${this.gatewayUrl}/api/v1`;
  }

  /**
   * Starts the apps named (services shape), or the one monolith process that hosts them all
   * (monolith shape: `names` only says the system is wanted whole). Orders asks payments for every
   * order it confirms: a system that starts orders starts payments too, or no order settles
   * before its saga times out.
   */
  async start(
    names: AppName[] = ['users', 'orders', 'payments', 'gateway'],
    /** Environment overrides for one app only (e.g. its own proxy in front of the broker). */
    perApp: Partial<Record<AppName, Record<string, string>>> = {},
  ): Promise<void> {
    const [gateway, users, orders, payments, management, usersGrpc, ordersGrpc, paymentsGrpc] = (await freePorts(
      8,
    )) as [number, number, number, number, number, number, number, number];
    const ports = (this.ports = { gateway, monolith: gateway, users, orders, payments });
    const env: Record<string, string> = (this.env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      HTTP_HOST: '127.0.0.1',
      AMQP_URL,
      AMQP_PREFIX: this.prefix,
      DB_HOST: PG.host,
      DB_PORT: String(PG.port),
      DB_USER: PG.user,
      DB_PASSWORD: PG.password,
      USERS_DB_NAME: this.databases.users,
      ORDERS_DB_NAME: this.databases.orders,
      PAYMENTS_DB_NAME: this.databases.payments,
      GATEWAY_PORT: String(ports.gateway),
      // The gateway's or the monolith's (one of them runs per system; replicas get their own).
      MANAGEMENT_PORT: String(management),
      USERS_HTTP_PORT: String(ports.users),
      ORDERS_HTTP_PORT: String(ports.orders),
      PAYMENTS_HTTP_PORT: String(ports.payments),
      JWT_DEV_KEYS_DIR: this.keysDir,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Suites make many logins and bursts from one address; the rate-limit suite sets its own.
      ...Object.fromEntries(GENEROUS_RATE_LIMITS.map((name) => [name, '1000000'])),
      ...(this.shape === 'grpc'
        ? {
            RPC_TRANSPORT: 'grpc',
            USERS_GRPC_PORT: String(usersGrpc),
            ORDERS_GRPC_PORT: String(ordersGrpc),
            PAYMENTS_GRPC_PORT: String(paymentsGrpc),
            USERS_GRPC_TARGET: `dns:///127.0.0.1:${usersGrpc}`,
            ORDERS_GRPC_TARGET: `dns:///127.0.0.1:${ordersGrpc}`,
            PAYMENTS_GRPC_TARGET: `dns:///127.0.0.1:${paymentsGrpc}`,
          }
        : {}),
      ...this.settings,
    });
    this.gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    // No name: nothing is started yet (see `startApp`), in either shape.
    for (const name of this.shape === 'monolith' && names.length > 0 ? (['monolith'] as const) : names) {
      const app = new AppProcess(name, `http://127.0.0.1:${ports[name]}/health/ready`, {
        ...env,
        ...this.appSettings[name],
        ...perApp[name],
      });
      this.apps.set(name, app);
      await app.start();
    }
  }

  /**
   * Starts an app `start()` left out, on its own port, with `overrides` (e.g. its DB_PORT or
   * AMQP_URL through a fault proxy), waiting only `until` its liveness answers if told so.
   */
  async startApp(
    name: AppName,
    overrides: Record<string, string> = {},
    until: 'ready' | 'live' = 'ready',
  ): Promise<AppProcess> {
    if (!this.env || !this.ports) throw new Error('start the system before starting one more app');
    if (this.apps.has(name)) throw new Error(`${name} is already started`);
    const app = new AppProcess(name, `http://127.0.0.1:${this.ports[name]}/health/ready`, {
      ...this.env,
      ...this.appSettings[name],
      ...overrides,
    });
    this.apps.set(name, app);
    await app.start(30_000, until);
    return app;
  }

  /** A variable every app of this system got (e.g. the USERS_GRPC_PORT it picked). */
  settingOf(name: string): string {
    const value = this.env?.[name];
    if (value === undefined) throw new Error(`${name} is not set for this system (started?)`);
    return value;
  }

  /** The process of an app; in the monolith shape, the one process hosting every app. */
  app(name: AppName): AppProcess {
    const app = this.apps.get(this.shape === 'monolith' ? 'monolith' : name);
    if (!app) throw new Error(`${name} was not started`);
    return app;
  }

  /** Every process of an app: the first one, then its replicas. */
  instances(name: AppName): AppProcess[] {
    return [this.app(name), ...this.replicas.filter((replica) => replica.name === name)];
  }

  /**
   * Starts one more replica of an app: the same environment (so it consumes the same queues and
   * uses the same database) on a free HTTP port of its own (and management port, for a gateway),
   * plus `overrides`. Stopped by `stop()`
   * like the others.
   */
  async addReplica(
    name: AppName,
    overrides: Record<string, string> = {},
    until: 'ready' | 'live' = 'ready',
  ): Promise<AppProcess> {
    if (!this.env) throw new Error('start the system before adding replicas');
    const [port, management] = (await freePorts(2)) as [number, number];
    const env = {
      ...this.env,
      ...this.appSettings[name],
      ...overrides,
      [PORT_VARIABLE[name]]: String(port),
      ...(name === 'gateway' || name === 'monolith' ? { MANAGEMENT_PORT: String(management) } : {}),
    };
    const replica = new AppProcess(
      name,
      `http://127.0.0.1:${port}/health/ready`,
      env,
      `${name}#${this.instances(name).length + 1}`,
    );
    this.replicas.push(replica);
    await replica.start(30_000, until);
    return replica;
  }

  /** Every log line of every app (replicas included), parsed where it is JSON. */
  logLines(): { app: AppName; line: string; json: Record<string, unknown> | null }[] {
    return this.allProcesses().flatMap((app) =>
      app.output.map((line) => ({ app: app.name, line, json: parseJson(line) })),
    );
  }

  /** Stops every app, then removes all the system made, each step even if another failed. */
  async stop(): Promise<void> {
    const steps = [
      () => Promise.all(this.allProcesses().map((app) => app.stop())),
      () => dropDatabases(Object.values(this.databases)),
      () =>
        deleteQueues(
          [`${this.prefix}users.rpc`, `${this.prefix}orders.rpc`, `${this.prefix}payments.rpc`],
          this.brokerUrl,
        ),
      () => deleteEventTopology(this, this.brokerUrl),
      async () => rmSync(this.keysDir, { recursive: true, force: true }),
    ];
    const failures = [];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw new AggregateError(failures, 'the system under test did not clean up fully');
  }

  private allProcesses(): AppProcess[] {
    return [...this.apps.values(), ...this.replicas];
  }
}

const PORT_VARIABLE: Record<AppName, string> = {
  gateway: 'GATEWAY_PORT',
  users: 'USERS_HTTP_PORT',
  orders: 'ORDERS_HTTP_PORT',
  payments: 'PAYMENTS_HTTP_PORT',
  monolith: 'GATEWAY_PORT',
};

function parseJson(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}
