import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { rateLimitStoreFallbacks } from '@app/platform';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** After a failed call, checks go straight to the fallback for this long; then one check tries Redis again. */
export const RETRY_SHARED_AFTER_MS = 1000;
/** At most one warning per this many ms while requests fall back (with how many did). */
export const FALLBACK_LOG_EVERY_MS = 10_000;

export interface FallbackOptions {
  /** False while the shared store's connection is down: no call is even tried then. */
  sharedAvailable: () => boolean;
  now?: () => number;
  logger?: Pick<Logger, 'warn' | 'log'>;
}

/**
 * The shared store (Redis) while it answers, else this process's own counters: when Redis is
 * down or slow, every limit degrades to a per-pod limit instead of failing open or closed.
 *
 * Why per-pod for every limit, the log-in limits first: failing open would drop the brute-force
 * limit (5 log-ins a minute per account) exactly while Redis is away, and an attacker can't be
 * told from a Redis outage; failing closed would refuse every log-in, registration and order
 * for as long as an optional cache is down. Per pod, each limit still holds, only multiplied by
 * the replicas serving (at most the HPA's 10: 50 log-ins a minute per account at worst), and the
 * gateway keeps serving. The general limits (ip, user) and the stricter ones (register-ip,
 * place-order) follow the same reasoning: protection against floods, never a quota to enforce
 * exactly. The per-pod counts start from zero and are not merged back when Redis returns.
 *
 * No request waits for Redis more than its command timeout, and after a failure none waits at
 * all: for RETRY_SHARED_AFTER_MS every check is counted here, then a single check probes Redis
 * while the others still are, until it answers (a circuit breaker, half-open with one probe). Each fallback is counted in `rate_limit_store_fallbacks_total`
 * by limit; a warning is logged at most every FALLBACK_LOG_EVERY_MS (with how many checks fell
 * back since the last one), and Redis answering again once after each warning, so a flapping
 * Redis cannot flood the log either.
 */
export class FallbackThrottlerStorage implements ThrottlerStorage {
  private readonly now: () => number;
  private readonly logger: Pick<Logger, 'warn' | 'log'>;
  /** Failed calls so far: a call that succeeds proves a recovery only if none failed meanwhile. */
  private failures = 0;
  private skipSharedUntil = 0;
  /** Since a failed call, until a call succeeds: checks skip Redis, but for one probe at a time. */
  private open = false;
  private probing = false;
  private lastFailure = '';
  private degraded = false;
  /** Whether this outage was warned about: its end is logged only then. */
  private warned = false;
  private lastWarnedAt = Number.NEGATIVE_INFINITY;
  private unreportedFallbacks = 0;

  constructor(
    private readonly shared: ThrottlerStorage,
    private readonly local: ThrottlerStorage,
    private readonly options: FallbackOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? new Logger('RateLimitStore');
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    const connected = this.options.sharedAvailable();
    const probe = this.open && !this.probing && this.now() >= this.skipSharedUntil;
    if (connected && (!this.open || probe)) {
      const failuresBefore = this.failures;
      this.probing ||= probe;
      try {
        const record = await this.shared.increment(key, ttl, limit, blockDuration, name);
        if (this.failures === failuresBefore) this.recovered();
        return record;
      } catch (error) {
        this.failures += 1;
        this.open = true;
        this.skipSharedUntil = this.now() + RETRY_SHARED_AFTER_MS;
        this.lastFailure = error instanceof Error ? error.message : String(error);
      } finally {
        if (probe) this.probing = false;
      }
    }
    this.fellBack(name, connected ? this.lastFailure : 'not connected');
    return this.local.increment(key, ttl, limit, blockDuration, name);
  }

  private fellBack(limit: string, cause: string): void {
    rateLimitStoreFallbacks.inc({ limit });
    this.degraded = true;
    this.unreportedFallbacks += 1;
    const now = this.now();
    if (now - this.lastWarnedAt < FALLBACK_LOG_EVERY_MS) return;
    this.logger.warn(
      `shared rate-limit store unavailable (${cause}): ${this.unreportedFallbacks} checks counted per pod ` +
        `${this.lastWarnedAt === Number.NEGATIVE_INFINITY ? 'instead' : 'since the last warning'} ` +
        '(limits hold per replica until it answers again)',
    );
    this.warned = true;
    this.lastWarnedAt = now;
    this.unreportedFallbacks = 0;
  }

  private recovered(): void {
    this.open = false;
    if (!this.degraded) return;
    this.degraded = false;
    if (!this.warned) return;
    this.warned = false;
    this.logger.log('shared rate-limit store answers again: limits are shared across replicas again');
  }
}
