import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { http } from '../support/http-client.js';
import {
  placeOrder,
  registerUser,
  waitForIdle,
  waitForOrderStatus,
  type TestUser,
} from '../support/saga-invariants.js';
import type { ServiceName as AppName } from '../support/app-process.js';
import { SystemUnderTest } from '../support/system-under-test.js';

const system = new SystemUnderTest({ LOG_LEVEL: 'debug' });
const APPS: AppName[] = ['gateway', 'users', 'orders', 'payments'];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** `name{labels} value` lines of a Prometheus text body, as { name, labels, value }. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

async function scrape(app: AppName): Promise<string> {
  const result = await http('GET', system.app(app).metricsUrl);
  expect(result.status).toBe(200);
  expect(result.headers.get('content-type')).toMatch(/^text\/plain/);
  return result.text;
}

function total(text: string, name: string, labels: Record<string, string> = {}): number {
  return samples(text)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Every app's /metrics, by app. */
async function scrapeAll(): Promise<Record<AppName, string>> {
  return Object.fromEntries(await Promise.all(APPS.map(async (app) => [app, await scrape(app)]))) as Record<
    AppName,
    string
  >;
}

let user: TestUser;
let before: Record<AppName, string>;
const correlationId = `obs-${randomUUID()}`;
const password = `secret-${randomUUID()}`;

beforeAll(async () => {
  await system.start(['users', 'orders', 'payments', 'gateway']);
  before = await scrapeAll();
  user = await registerUser(system, 'observed');
  await http('POST', `${system.api}/auth/register`, {
    body: { email: `pw-${randomUUID()}@example.com`, password, name: 'Pw' },
  });
  const placed = await http<{ id: string }>('POST', `${system.api}/orders`, {
    token: user.token,
    headers: { 'idempotency-key': randomUUID(), 'x-correlation-id': correlationId },
    body: { currency: 'EUR', items: [{ sku: 'OBS-1', quantity: 2, unitPriceCents: 250 }] },
  });
  expect(placed.status).toBe(201);
  await waitForOrderStatus(system, user.token, placed.body.id, ['CONFIRMED']);
  const rejected = await placeOrder(system, user.token, { totalCents: 10_000_000 });
  await waitForOrderStatus(system, user.token, rejected.body.id, ['REJECTED']);
  await waitForIdle(system, 30_000);
}, 120_000);

afterAll(() => system.stop(), 60_000);

describe('/metrics', () => {
  const promtool = spawnSync('promtool', ['--version']).error === undefined;
  // Without promtool the naming rules are still checked, on the real registry (metric-names.spec.ts).
  (promtool ? it.each(APPS) : it.skip.each(APPS))(
    `%s serves Prometheus text that promtool check metrics finds clean${promtool ? '' : ' (skipped: promtool not on PATH)'}`,
    async (app) => {
      const text = await scrape(app);
      const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect({ status: check.status, remarks: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, remarks: '' });
    },
  );

  it("is served on the management port only: the gateway's public port answers 404", async () => {
    const gateway = system.app('gateway');
    expect(new URL(gateway.metricsUrl).port).not.toBe(new URL(system.gatewayUrl).port);
    expect((await http('GET', `${system.gatewayUrl}/metrics`)).status).toBe(404);
    expect((await http('GET', `${system.api}/metrics`)).status).toBe(404);
  });

  it("the gateway's management port serves metrics and health, nothing of the API", async () => {
    const management = system.app('gateway').managementUrl;
    expect((await http('GET', `${management}/health/ready`)).status).toBe(200);
    expect((await http('GET', `${management}/health/live`)).status).toBe(200);
    for (const path of ['/api/v1/users/me', '/docs', '/docs-json']) {
      expect({ path, status: (await http('GET', `${management}${path}`)).status }).toEqual({ path, status: 404 });
    }
    // No access log there, not even at debug (this system's level); only it was asked for /docs-json.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const logged = system.logLines().filter((l) => (l.json?.req as { url?: string } | undefined)?.url === '/docs-json');
    expect(logged).toEqual([]);
  });

  it('labels every series with its service, and never with an id or a raw path', async () => {
    for (const app of APPS) {
      for (const sample of samples(await scrape(app))) {
        expect(sample.labels.service).toBe(app);
        for (const value of Object.values(sample.labels)) expect(value).not.toMatch(UUID);
      }
    }
  });

  it('moves with traffic: HTTP, RPC, events, outbox, saga, pool and process series', async () => {
    const after = await scrapeAll();
    const moved = (app: AppName, name: string, labels: Record<string, string> = {}) =>
      total(after[app], name, labels) - total(before[app], name, labels);

    expect(
      moved('gateway', 'http_request_duration_seconds_count', { route: '/api/v1/orders', status_code: '201' }),
    ).toBe(2);
    expect(moved('gateway', 'rpc_client_duration_seconds_count', { pattern: 'orders.place', outcome: 'ok' })).toBe(2);
    expect(moved('gateway', 'rpc_client_duration_seconds_count', { pattern: 'users.register', outcome: 'ok' })).toBe(2);
    expect(moved('orders', 'rpc_server_duration_seconds_count', { pattern: 'orders.place', outcome: 'ok' })).toBe(2);
    expect(moved('users', 'messages_consumed_total', { queue: 'users.events', outcome: 'handled' })).toBe(2);
    // Two credit answers and one PaymentCaptured (the rejected order asked for no payment).
    expect(moved('orders', 'messages_consumed_total', { queue: 'orders.events', outcome: 'handled' })).toBe(3);
    expect(moved('payments', 'messages_consumed_total', { queue: 'payments.events', outcome: 'handled' })).toBe(1);
    expect(moved('orders', 'saga_outcomes_total', { outcome: 'confirmed' })).toBe(1);
    expect(moved('orders', 'saga_outcomes_total', { outcome: 'rejected', reason: 'INSUFFICIENT_CREDIT' })).toBe(1);
    expect(moved('orders', 'outbox_published_total')).toBe(3); // 2 placements, 1 PaymentRequested
    expect(moved('payments', 'outbox_published_total')).toBe(1); // PaymentCaptured
    expect(moved('users', 'outbox_published_total')).toBeGreaterThanOrEqual(4); // 2 registrations, 2 credit answers
    for (const app of ['users', 'orders', 'payments'] as const) {
      expect(total(after[app], 'outbox_unpublished_rows')).toBe(0);
      expect(total(after[app], 'db_pool_connections', { state: 'total' })).toBeGreaterThan(0);
    }
    for (const app of APPS) expect(total(after[app], 'process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
  });
});

describe('logs', () => {
  it('are JSON lines naming their service', () => {
    const lines = system.logLines().filter((l) => l.json);
    for (const app of APPS) expect(lines.some((l) => l.app === app)).toBe(true);
    for (const line of lines) expect(line.json!.service).toBe(line.app);
  });

  it('carry the request correlation id in all four apps', () => {
    const apps = new Set(
      system
        .logLines()
        .filter((l) => l.json?.correlationId === correlationId)
        .map((l) => l.app),
    );
    expect([...apps].sort()).toEqual(['gateway', 'orders', 'payments', 'users']);
    const request = system
      .logLines()
      .find((l) => l.app === 'gateway' && l.json?.correlationId === correlationId && l.json?.res);
    expect(request?.json).toMatchObject({ req: { method: 'POST', url: '/api/v1/orders' }, res: { statusCode: 201 } });
    expect(typeof request?.json?.responseTime).toBe('number');
  });

  it('never contain a password, a token or an authorization header', () => {
    const all = system.logLines().map((l) => l.line);
    expect(all.filter((line) => line.includes(password))).toEqual([]);
    expect(all.filter((line) => line.includes(user.token))).toEqual([]);
    expect(all.filter((line) => /"authorization":"Bearer/i.test(line))).toEqual([]);
  });
});
