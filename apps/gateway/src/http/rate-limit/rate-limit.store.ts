import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { FallbackThrottlerStorage } from './fallback.storage.js';
import { FixedWindowThrottlerStorage } from './fixed-window.storage.js';
import { connectRateLimitRedis, type RateLimitRedisConnection } from './rate-limit-redis.connection.js';
import { RedisFixedWindowThrottlerStorage } from './redis-fixed-window.storage.js';

export interface RateLimitStoreSettings {
  RATE_LIMIT_STORE: 'memory' | 'redis';
  REDIS_URL: string | undefined;
  RATE_LIMIT_REDIS_PREFIX: string;
  RATE_LIMIT_REDIS_TIMEOUT_MS: number;
}

/**
 * Where the rate-limit counters live (RATE_LIMIT_STORE): in this process (`memory`, the default:
 * one gateway, or the monolith), or in Redis shared by every replica (`redis`), with this
 * process's counters as the fallback while Redis is down. Closes its Redis connection at
 * shutdown, after the HTTP server has finished its requests.
 */
@Injectable()
export class RateLimitStore implements OnApplicationShutdown {
  private constructor(
    readonly storage: ThrottlerStorage,
    private readonly redis: RateLimitRedisConnection | null,
  ) {}

  static async from(settings: RateLimitStoreSettings): Promise<RateLimitStore> {
    if (settings.RATE_LIMIT_STORE === 'memory') return new RateLimitStore(new FixedWindowThrottlerStorage(), null);
    if (!settings.REDIS_URL) throw new Error('RATE_LIMIT_STORE=redis needs REDIS_URL');
    const redis = connectRateLimitRedis(settings.REDIS_URL, settings.RATE_LIMIT_REDIS_TIMEOUT_MS);
    // Not to count the first requests per pod on every normal start; bounded, Redis being optional.
    await redis.firstConnection();
    const storage = new FallbackThrottlerStorage(
      new RedisFixedWindowThrottlerStorage(redis.client, settings.RATE_LIMIT_REDIS_PREFIX),
      new FixedWindowThrottlerStorage(),
      { sharedAvailable: redis.ready },
    );
    return new RateLimitStore(storage, redis);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.close();
  }
}
