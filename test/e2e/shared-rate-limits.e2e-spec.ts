import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { AppProcess } from '../support/app-process.js';
import { TcpProxy } from '../support/faults/tcp-proxy.js';
import { http, type HttpResult } from '../support/http-client.js';
import { metricTotal, scrapeMetrics } from '../support/metrics.js';
import { SystemUnderTest } from '../support/system-under-test.js';

const REDIS = { host: '127.0.0.1', port: 6379 };
const LOGIN_LIMIT = 4;
const COMMAND_TIMEOUT_MS = 100;
/** This run's keys in the shared Redis, removed at the end. */
const prefix = `e2e-${randomBytes(4).toString('hex')}:rate-limit:`;
const FALLBACKS = 'rate_limit_store_fallbacks_total';

// Two gateways (and a third behind a proxy) on one Redis prefix: the rate-limit counters are theirs.
const system = new SystemUnderTest(
  {
    RATE_LIMIT_STORE: 'redis',
    REDIS_URL: `redis://${REDIS.host}:${REDIS.port}`,
    RATE_LIMIT_REDIS_PREFIX: prefix,
    RATE_LIMIT_REDIS_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
    RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: String(LOGIN_LIMIT),
  },
  'services',
);
const redis = new Redis(REDIS.port, REDIS.host, { lazyConnect: true });
const proxy = new TcpProxy(REDIS);
let gateways: [AppProcess, AppProcess];

const apiOf = (gateway: AppProcess) => gateway.healthUrl.replace(/\/health\/ready$/, '/api/v1');

function login(gateway: AppProcess, email: string, password = 'wrong-password-1'): Promise<HttpResult> {
  return http('POST', `${apiOf(gateway)}/auth/login`, { body: { email, password } });
}

async function register(gateway: AppProcess): Promise<string> {
  const email = `rl-${randomUUID()}@example.com`;
  const result = await http('POST', `${apiOf(gateway)}/auth/register`, {
    body: { email, password: 'correct-horse-9', name: 'RL' },
  });
  expect(result.status).toBe(201);
  return email;
}

function expectRateLimited(result: HttpResult): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
  expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const retryAfter = Number(result.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  await redis.connect();
  await proxy.start();
  await system.start(['users', 'orders', 'payments', 'gateway']);
  gateways = [system.app('gateway'), await system.addReplica('gateway')];
}, 120_000);

afterAll(async () => {
  await system.stop();
  await proxy.stop();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}, 60_000);

describe('rate limits shared by two gateways through Redis', () => {
  it('holds the per-account log-in limit across both: the attempt past it is 429 on either', async () => {
    const email = await register(gateways[0]);
    const attempts: HttpResult[] = [];
    for (let i = 0; i < LOGIN_LIMIT + 2; i += 1) attempts.push(await login(gateways[i % 2]!, email));
    expect(attempts.map((r) => r.status)).toEqual([...Array<number>(LOGIN_LIMIT).fill(401), 429, 429]);
    expectRateLimited(attempts[LOGIN_LIMIT]!);
    expectRateLimited(attempts[LOGIN_LIMIT + 1]!);
    // Even the right password, on either gateway, until the window ends.
    expectRateLimited(await login(gateways[0], email, 'correct-horse-9'));
    expectRateLimited(await login(gateways[1], email, 'correct-horse-9'));
    expect(await redis.get(`${prefix}login-account:account:${email}`)).toBe(String(LOGIN_LIMIT + 4));
  });

  it('closes its Redis connection on shutdown', async () => {
    const replica = await system.addReplica('gateway');
    const name = 'gateway-rate-limits';
    const connections = async () =>
      ((await redis.client('LIST')) as string).split('\n').filter((line) => line.includes(`name=${name}`)).length;
    const before = await connections();
    expect(await replica.stop()).toBe(0);
    await until('the replica has left Redis', async () => (await connections()) === before - 1, 5000);
    const output = replica.output.join('\n');
    expect(output).toMatch(/closed the connection to Redis at redis:\/\/127\.0\.0\.1:6379[\s\S]*shutdown complete/);
  }, 30_000);
});

describe('a gateway whose Redis is down or slow', () => {
  let gateway: AppProcess;
  const fallbacks = async () => metricTotal(await scrapeMetrics(gateway), FALLBACKS);
  const logged = (pattern: RegExp) => gateway.output.some((line) => pattern.test(line));

  /** A request through the anonymous limits (ip), answered 401 by the token check right after. */
  async function timedRequest(): Promise<{ status: number; ms: number }> {
    const started = performance.now();
    const result = await http('GET', `${apiOf(gateway)}/users/me`);
    return { status: result.status, ms: performance.now() - started };
  }

  beforeAll(async () => {
    proxy.refuse();
    gateway = await system.addReplica('gateway', { REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
  }, 60_000);

  it('starts and stays ready while Redis is unreachable, limiting per pod, and counts each fallback', async () => {
    await until('the gateway saw Redis unreachable', () => logged(/Redis at redis:\/\/127\.0\.0\.1:\d+ unreachable/));
    const before = await fallbacks();
    const results = await Promise.all(Array.from({ length: 10 }, () => timedRequest()));
    expect(results.map((r) => r.status)).toEqual(Array<number>(10).fill(401));
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(1000);
    // The log-in limit still holds, on this pod's own counters.
    const email = await register(gateway);
    const attempts: HttpResult[] = [];
    for (let i = 0; i < LOGIN_LIMIT + 1; i += 1) attempts.push(await login(gateway, email));
    expect(attempts.map((r) => r.status)).toEqual([...Array<number>(LOGIN_LIMIT).fill(401), 429]);
    expectRateLimited(attempts[LOGIN_LIMIT]!);
    expect(await redis.exists(`${prefix}login-account:account:${email}`)).toBe(0);
    expect(await fallbacks()).toBeGreaterThanOrEqual(before + 10 + 1 + 3 * (LOGIN_LIMIT + 1));
    expect(metricTotal(await scrapeMetrics(gateway), FALLBACKS, { limit: 'login-account' })).toBe(LOGIN_LIMIT + 1);
    expect((await http('GET', gateway.healthUrl)).status).toBe(200);
    expect(gateway.output.filter((line) => /counted per pod/.test(line))).toHaveLength(1);
  });

  it('shares its counts again once Redis is back, and says so', async () => {
    proxy.pass();
    await until('the gateway reconnected', () => logged(/connected to Redis at/));
    const email = await register(gateway);
    expect((await login(gateway, email)).status).toBe(401);
    expect(await redis.get(`${prefix}login-account:account:${email}`)).toBe('1');
    // The line is written before the answer, but reaches us through the process's stdout pipe, which may lag.
    await until('the gateway said Redis answers again', () => logged(/shared rate-limit store answers again/), 5000);
  });

  it('answers within its command timeout when Redis stops answering, and counts the fallbacks', async () => {
    const before = await fallbacks();
    proxy.blackhole();
    try {
      const results: { status: number; ms: number }[] = [];
      for (let i = 0; i < 10; i += 1) results.push(await timedRequest());
      expect(results.map((r) => r.status)).toEqual(Array<number>(10).fill(401));
      // One request waits for the timeout (100 ms); the next ones skip Redis for a second.
      expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(COMMAND_TIMEOUT_MS + 900);
      expect(await fallbacks()).toBeGreaterThanOrEqual(before + 10);
      expect((await http('GET', gateway.healthUrl)).status).toBe(200);
    } finally {
      proxy.pass();
    }
  });
});
