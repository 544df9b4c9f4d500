import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  /** When this window ends (ms since epoch). */
  resetsAt: number;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * In-memory rate-limit counters, one fixed window per key: O(1) per request and one small
 * object per active key. (The library's default keeps every hit's timestamp and scans them on
 * each request, which costs O(limit) per request at high limits.) Expired windows are swept
 * once a minute. Per process: with several gateway replicas, plug in a shared store.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
  }

  increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${name}:${key}`;
    let window = this.windows.get(id);
    if (!window || window.resetsAt <= now) {
      window = { hits: 0, resetsAt: now + ttl };
      this.windows.set(id, window);
    }
    window.hits += 1;
    const secondsLeft = Math.max(1, Math.ceil((window.resetsAt - now) / 1000));
    const isBlocked = window.hits > limit;
    return Promise.resolve({
      totalHits: window.hits,
      timeToExpire: secondsLeft,
      isBlocked,
      timeToBlockExpire: isBlocked ? secondsLeft : 0,
    });
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(id);
  }
}
