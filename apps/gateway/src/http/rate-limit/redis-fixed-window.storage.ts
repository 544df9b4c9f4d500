import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/*
 * One round trip, atomic: count the hit, start the window's expiry on its first hit only, and read
 * what is left of it. A key found without an expiry (never by this script, but a stray PERSIST
 * or a bug elsewhere would block a client forever) gets the window again.
 */
const FIXED_WINDOW_HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return { hits, tonumber(ARGV[1]) }
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return { hits, left }
`;

type FixedWindowClient = Redis & {
  fixedWindowHit(key: string, windowMs: number): Promise<[number, number]>;
};

/**
 * Rate-limit counters shared by every gateway replica, in Redis: the same fixed window per limit
 * and client as the in-memory store (FixedWindowThrottlerStorage), so a limit of 5 a minute is 5
 * a minute whichever replica a request reaches. One key per window, `<prefix><limit>:<client>`,
 * expiring with it: Redis holds one small counter per active client and limit.
 *
 * `blockDuration` is not used, as in the in-memory store: a client over the limit stays refused
 * until its window ends (the guards pass the window as the block duration anyway).
 *
 * Every failure (Redis down, a command past its timeout) rejects: FallbackThrottlerStorage decides
 * what happens then.
 */
export class RedisFixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly client: FixedWindowClient;

  constructor(
    client: Redis,
    private readonly prefix: string,
  ) {
    client.defineCommand('fixedWindowHit', { numberOfKeys: 1, lua: FIXED_WINDOW_HIT });
    this.client = client as FixedWindowClient;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    const [hits, leftMs] = await this.client.fixedWindowHit(`${this.prefix}${name}:${key}`, ttl);
    const secondsLeft = Math.max(1, Math.ceil(leftMs / 1000));
    const isBlocked = hits > limit;
    return {
      totalHits: hits,
      timeToExpire: secondsLeft,
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsLeft : 0,
    };
  }
}
