import { beforeEach, describe, expect, it } from '@jest/globals';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { rateLimitStoreFallbacks } from '@app/platform';
import { FALLBACK_LOG_EVERY_MS, FallbackThrottlerStorage, RETRY_SHARED_AFTER_MS } from './fallback.storage.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';

/** A shared store that answers from its own counters, or fails while `down`. */
class FlakyStore implements ThrottlerStorage {
  down = false;
  calls = 0;
  private readonly counters = new FixedWindowThrottlerStorage();

  increment(key: string, ttl: number, limit: number, blockDuration: number, name: string) {
    this.calls += 1;
    if (this.down) return Promise.reject(new Error('Command timed out'));
    return this.counters.increment(key, ttl, limit, blockDuration, name);
  }
}

async function fallbacks(limit: string): Promise<number> {
  const metric = await rateLimitStoreFallbacks.get();
  return metric.values.find((value) => value.labels.limit === limit)?.value ?? 0;
}

describe('FallbackThrottlerStorage', () => {
  let now: number;
  let connected: boolean;
  let shared: FlakyStore;
  let logs: { level: 'warn' | 'log'; message: string }[];
  let storage: FallbackThrottlerStorage;
  const hit = (name = 'login-account', key = 'account:a@example.com') =>
    storage.increment(key, 60_000, 2, 60_000, name);

  beforeEach(() => {
    now = 1_000_000;
    connected = true;
    shared = new FlakyStore();
    logs = [];
    rateLimitStoreFallbacks.reset();
    storage = new FallbackThrottlerStorage(shared, new FixedWindowThrottlerStorage(), {
      sharedAvailable: () => connected,
      now: () => now,
      logger: {
        warn: (message: string) => logs.push({ level: 'warn', message }),
        log: (message: string) => logs.push({ level: 'log', message }),
      },
    });
  });

  it('counts in the shared store while it answers, without fallbacks', async () => {
    expect((await hit()).totalHits).toBe(1);
    expect((await hit()).totalHits).toBe(2);
    expect(shared.calls).toBe(2);
    expect(await fallbacks('login-account')).toBe(0);
    expect(logs).toEqual([]);
  });

  it('keeps limiting per process when the shared store fails, and counts each fallback by limit', async () => {
    shared.down = true;
    const results = [await hit(), await hit(), await hit()];
    expect(results.map((r) => r.isBlocked)).toEqual([false, false, true]);
    expect(await fallbacks('login-account')).toBe(3);
    expect(await fallbacks('ip')).toBe(0);
  });

  it('does not try the shared store again for a while after a failure, nor while disconnected', async () => {
    shared.down = true;
    await hit();
    await hit();
    expect(shared.calls).toBe(1);
    now += RETRY_SHARED_AFTER_MS;
    await hit();
    expect(shared.calls).toBe(2);
    connected = false;
    now += RETRY_SHARED_AFTER_MS;
    await hit();
    expect(shared.calls).toBe(2);
  });

  it('warns at most once per interval, with how many checks fell back, and logs the recovery once', async () => {
    shared.down = true;
    for (let i = 0; i < 5; i += 1) await hit('ip', `client-${i}`);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'warn' });
    expect(logs[0]!.message).toMatch(/\(Command timed out\): 1 checks counted per pod instead/);
    now += FALLBACK_LOG_EVERY_MS;
    await hit('ip', 'client-x');
    expect(logs).toHaveLength(2);
    expect(logs[1]!.message).toMatch(/5 checks counted per pod since the last warning/);

    shared.down = false;
    now += RETRY_SHARED_AFTER_MS;
    await hit('ip', 'client-y');
    await hit('ip', 'client-z');
    expect(logs).toHaveLength(3);
    expect(logs[2]).toMatchObject({ level: 'log', message: expect.stringMatching(/answers again/) });
  });

  it('lets one check probe Redis after the pause while the others keep counting here', async () => {
    shared.down = true;
    await hit('ip', 'a');
    shared.down = false;
    now += RETRY_SHARED_AFTER_MS;
    let answer!: () => void;
    const answers = new FixedWindowThrottlerStorage();
    const callsBefore = shared.calls;
    shared.increment = (...args) => {
      shared.calls += 1;
      return new Promise((resolve) => (answer = () => resolve(answers.increment(...args))));
    };
    const probe = hit('ip', 'b');
    await Promise.all([hit('ip', 'c'), hit('ip', 'd')]);
    expect(shared.calls).toBe(callsBefore + 1);
    expect(await fallbacks('ip')).toBe(3);
    answer();
    await probe;
    const after = hit('ip', 'e');
    answer();
    await after;
    expect(shared.calls).toBe(callsBefore + 2);
    expect(await fallbacks('ip')).toBe(3);
  });

  it('logs nothing more while Redis flaps within the interval', async () => {
    for (let flap = 0; flap < 3; flap += 1) {
      shared.down = true;
      await hit();
      shared.down = false;
      now += RETRY_SHARED_AFTER_MS;
      await hit();
    }
    expect(logs.map((line) => line.level)).toEqual(['warn', 'log']);
    expect(await fallbacks('login-account')).toBe(3);
  });

  it('names a lost connection as the cause', async () => {
    connected = false;
    await hit();
    expect(logs[0]!.message).toMatch(/\(not connected\)/);
    expect(shared.calls).toBe(0);
  });

  it('does not take a call that was already in flight when another failed as a recovery', async () => {
    let answer!: () => void;
    const slow = new FixedWindowThrottlerStorage();
    const gated: ThrottlerStorage = {
      increment: (...args) =>
        shared.down
          ? Promise.reject(new Error('Command timed out'))
          : new Promise((resolve) => (answer = () => resolve(slow.increment(...args)))),
    };
    storage = new FallbackThrottlerStorage(gated, new FixedWindowThrottlerStorage(), {
      sharedAvailable: () => true,
      now: () => now,
      logger: {
        warn: (message: string) => logs.push({ level: 'warn', message }),
        log: () => logs.push({ level: 'log', message: 'recovered' }),
      },
    });
    const inFlight = hit('ip', 'early');
    shared.down = true;
    await hit('ip', 'late');
    answer();
    await inFlight;
    expect(logs.map((line) => line.level)).toEqual(['warn']);
    // Still within the pause after the failure: counted per pod, under the failure's own cause.
    await hit('ip', 'later');
    expect(await fallbacks('ip')).toBe(2);
  });
});
