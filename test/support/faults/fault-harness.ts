import type { AppProcess, ServiceName } from '../app-process.js';
import { AMQP_URL } from '../amqp-test-kit.js';
import { PG } from '../postgres-test-kit.js';
import { SystemUnderTest } from '../system-under-test.js';
import { TcpProxy } from './tcp-proxy.js';

/** The proxies one app process talks through: to the broker always, to Postgres when it has a database. */
export interface AppLinks {
  app: AppProcess;
  amqp: TcpProxy;
  db: TcpProxy | null;
}

export interface FaultHarnessOptions {
  /** Processes of each service (the gateway is always one; payments one unless told). */
  replicas?: Partial<Record<Exclude<ServiceName, 'gateway'>, number>>;
  /** Environment overrides for every app. */
  settings?: Record<string, string>;
  /** The broker the proxies forward to (the machine's by default; a cluster node's for the cluster scenario). */
  broker?: { host: string; port: number };
}

/** Settings every fault scenario runs with: a saga timeout past any fault window, room for many orders. */
export const FAULT_SETTINGS: Record<string, string> = {
  LOG_LEVEL: 'warn',
  // The machine's Postgres allows 100 connections, shared by every suite running on it: five
  // processes with pools of 10 plus the other suites' took them all, and a restarted replica
  // then died at boot (FATAL: too many clients).
  DB_POOL_SIZE: '5',
  CREDIT_LIMIT_DEFAULT_CENTS: '1000000000',
  ORDER_SAGA_TIMEOUT_MS: '300000',
  EVENTS_RETRY_BASE_MS: '200',
  EVENTS_RETRY_MAX_MS: '2000',
};

/**
 * The system as the fault scenarios run it: the gateway, N replicas each of users and orders and
 * of payments (one by default: the machine's Postgres connections are shared) as real processes, every process's AMQP and Postgres connections through a TcpProxy of its own,
 * so a scenario can reset, refuse or blackhole one process's links, or all of them.
 */
export class FaultHarness {
  readonly links: AppLinks[] = [];
  readonly system: SystemUnderTest;
  private readonly broker: { host: string; port: number };

  constructor(private readonly options: FaultHarnessOptions = {}) {
    this.broker = options.broker ?? brokerOf(AMQP_URL);
    this.system = new SystemUnderTest({ ...FAULT_SETTINGS, ...options.settings }, 'services');
    if (options.broker) this.system.brokerUrl = `amqp://guest:guest@${this.broker.host}:${this.broker.port}`;
  }

  async start(): Promise<this> {
    const users = this.options.replicas?.users ?? 2;
    const orders = this.options.replicas?.orders ?? 2;
    const payments = this.options.replicas?.payments ?? 1;
    const first = {
      users: await this.proxiesFor(true),
      orders: await this.proxiesFor(true),
      payments: await this.proxiesFor(true),
      gateway: await this.proxiesFor(false),
    };
    await this.system.start(['users', 'orders', 'payments', 'gateway'], {
      users: first.users.env,
      orders: first.orders.env,
      payments: first.payments.env,
      gateway: first.gateway.env,
    });
    for (const name of ['users', 'orders', 'payments', 'gateway'] as const) {
      this.links.push({ app: this.system.app(name), amqp: first[name].amqp, db: first[name].db });
    }
    for (const [name, count] of [
      ['users', users],
      ['orders', orders],
      ['payments', payments],
    ] as const) {
      for (let i = 1; i < count; i += 1) {
        const proxies = await this.proxiesFor(true);
        const app = await this.system.addReplica(name, proxies.env);
        this.links.push({ app, amqp: proxies.amqp, db: proxies.db });
      }
    }
    return this;
  }

  /** Every process of a service (or of all), with its proxies. */
  of(name?: ServiceName): AppLinks[] {
    return this.links.filter((link) => !name || link.app.name === name);
  }

  amqpProxies(name?: ServiceName): TcpProxy[] {
    return this.of(name).map((link) => link.amqp);
  }

  dbProxies(name?: ServiceName): TcpProxy[] {
    return this.of(name).flatMap((link) => (link.db ? [link.db] : []));
  }

  /** Every crash (an exit no one asked for) of any process so far, with the last lines it wrote. */
  crashes(): { label: string; at: number; code: number | null; lastLines: string[]; proxies: string }[] {
    return this.links.flatMap((link) =>
      link.app.crashes.map((crash) => ({
        label: link.app.label,
        ...crash,
        proxies: `amqp :${link.amqp.port} (${link.amqp.openConnections} open), db :${link.db?.port ?? '-'}`,
      })),
    );
  }

  /** Every proxy back to forwarding. */
  healAll(): void {
    for (const link of this.links) {
      link.amqp.pass();
      link.db?.pass();
    }
  }

  /** Points every broker proxy at another node; open connections stay until they break. */
  retargetBroker(target: { host: string; port: number }): void {
    for (const proxy of this.amqpProxies()) proxy.retarget(target);
  }

  /** Stops the apps, removes what the system made, closes the proxies. */
  async stop(): Promise<void> {
    this.healAll();
    try {
      await this.system.stop();
    } finally {
      for (const link of this.links) {
        await link.amqp.stop();
        await link.db?.stop();
      }
    }
  }

  private async proxiesFor(
    hasDatabase: boolean,
  ): Promise<{ amqp: TcpProxy; db: TcpProxy | null; env: Record<string, string> }> {
    const amqp = await new TcpProxy(this.broker).start();
    const db = hasDatabase ? await new TcpProxy({ host: PG.host, port: PG.port }).start() : null;
    const env: Record<string, string> = { AMQP_URL: `amqp://guest:guest@127.0.0.1:${amqp.port}` };
    if (db) env.DB_PORT = String(db.port);
    return { amqp, db, env };
  }
}

function brokerOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port || 5672) };
}
