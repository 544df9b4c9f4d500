import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisFixedWindowThrottlerStorage } from './redis-fixed-window.storage.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Every key of this run is under its own prefix, removed at the end. */
const prefix = `int-${randomBytes(4).toString('hex')}:rate-limit:`;
let client: Redis;
let storage: RedisFixedWindowThrottlerStorage;

beforeAll(async () => {
  client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  storage = new RedisFixedWindowThrottlerStorage(client, prefix);
});

afterAll(async () => {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
  await client.quit();
});

const hit = (key: string, name = 'login-account', limit = 3, ttl = 60_000) =>
  storage.increment(key, ttl, limit, ttl, name);

describe('RedisFixedWindowThrottlerStorage', () => {
  it('counts hits in one window and blocks past the limit, saying when the window ends', async () => {
    const results = [await hit('a'), await hit('a'), await hit('a'), await hit('a')];
    expect(results.map((r) => [r.totalHits, r.isBlocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    expect(results[0]!.timeToBlockExpire).toBe(0);
    expect(results[3]!.timeToBlockExpire).toBeGreaterThanOrEqual(59);
    expect(results[3]!.timeToBlockExpire).toBeLessThanOrEqual(60);
    const left = await client.pttl(`${prefix}login-account:a`);
    expect(left).toBeGreaterThan(58_000);
    expect(left).toBeLessThanOrEqual(60_000);
  });

  it('keeps the window of the first hit: later hits do not extend it', async () => {
    await hit('fixed', 'ip', 100, 2000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await hit('fixed', 'ip', 100, 2000);
    const left = await client.pttl(`${prefix}ip:fixed`);
    expect(left).toBeLessThanOrEqual(1400);
    expect(left).toBeGreaterThan(0);
  });

  it('starts a new window when the old one has expired, with Retry-After counting down until then', async () => {
    const ttl = 1500;
    await hit('expiring', 'ip', 1, ttl);
    const blocked = await hit('expiring', 'ip', 1, ttl);
    expect(blocked).toMatchObject({ totalHits: 2, isBlocked: true, timeToBlockExpire: 2 });
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await hit('expiring', 'ip', 1, ttl)).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await hit('expiring', 'ip', 1, ttl)).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps a counter per limit name and per client', async () => {
    await hit('shared-key', 'login-ip');
    await hit('shared-key', 'login-ip');
    expect(await hit('shared-key', 'login-account')).toMatchObject({ totalHits: 1 });
    expect(await hit('other-key', 'login-ip')).toMatchObject({ totalHits: 1 });
    expect(await hit('shared-key', 'login-ip')).toMatchObject({ totalHits: 3 });
  });

  it('counts exactly under many parallel increments, from several connections', async () => {
    const others = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
    try {
      const stores = [storage, ...others.map((other) => new RedisFixedWindowThrottlerStorage(other, prefix))];
      const results = await Promise.all(
        Array.from({ length: 600 }, (_, i) => stores[i % stores.length]!.increment('burst', 60_000, 500, 60_000, 'ip')),
      );
      const totals = results.map((r) => r.totalHits).sort((a, b) => a - b);
      expect(totals).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
      expect(results.filter((r) => r.isBlocked)).toHaveLength(100);
    } finally {
      await Promise.all(others.map((other) => other.quit()));
    }
  });

  it('gives a key found without an expiry its window again instead of blocking forever', async () => {
    await client.set(`${prefix}ip:stuck`, '5');
    const result = await hit('stuck', 'ip', 3, 60_000);
    expect(result).toMatchObject({ totalHits: 6, isBlocked: true, timeToBlockExpire: 60 });
    expect(await client.pttl(`${prefix}ip:stuck`)).toBeGreaterThan(0);
  });

  it('rejects when Redis does not answer in time', async () => {
    const slow = new Redis(REDIS_URL, { commandTimeout: 50, maxRetriesPerRequest: 0 });
    try {
      const store = new RedisFixedWindowThrottlerStorage(slow, prefix);
      await store.increment('warm', 60_000, 10, 60_000, 'ip');
      const blocker = new Redis(REDIS_URL);
      // The server runs one command at a time: a 300 ms script holds every other one back.
      const busy = blocker.eval(
        "local t = redis.call('TIME'); while true do local n = redis.call('TIME'); if (n[1] - t[1]) * 1000000 + (n[2] - t[2]) > 300000 then break end end return 1",
        0,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      await expect(store.increment('late', 60_000, 10, 60_000, 'ip')).rejects.toThrow(/timed out/i);
      await busy;
      await blocker.quit();
    } finally {
      slow.disconnect();
    }
  });
});
