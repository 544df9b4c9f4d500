import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';

describe('FixedWindowThrottlerStorage', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('counts hits per key and name, and blocks past the limit until the window ends', async () => {
    jest.useFakeTimers({ now: 0 });
    const storage = new FixedWindowThrottlerStorage();
    const hit = (key = 'ip-1', name = 'ip') => storage.increment(key, 60_000, 2, 0, name);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
    expect(await hit()).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await hit()).toMatchObject({ totalHits: 3, isBlocked: true, timeToBlockExpire: 60 });
    expect(await hit('ip-2')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await hit('ip-1', 'login-ip')).toMatchObject({ totalHits: 1, isBlocked: false });
    jest.setSystemTime(45_000);
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 15 });
    jest.setSystemTime(60_000);
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
