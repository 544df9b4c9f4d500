import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { LiveConfig } from '@app/platform';
import type { GatewayEnv } from '../../gateway.env.js';
import { RateLimitedError } from './rate-limited.error.js';
import { ANONYMOUS_LIMITS, LIMIT_SETTINGS, USER_LIMITS } from './rate-limits.js';

type Tracker = (req: Record<string, unknown>, context: ExecutionContext) => string | Promise<string>;

/**
 * Applies only the named limits of one pipeline step; answers 429 with Retry-After.
 *
 * Our limits are set per named throttler (rate-limits.ts) and never per route through
 * `@Throttle`/`@SkipThrottle`, so this checks its own throttlers straight from their options:
 * the library's `canActivate` walks every throttler of the module in each guard and makes five
 * reflector look-ups and a hashed key for each, per request. Whether limits apply and each
 * limit's number come from the live configuration, read per request (LIMIT_SETTINGS).
 */
abstract class NamedLimitsGuard extends ThrottlerGuard {
  protected abstract readonly limits: readonly string[];
  private own: ThrottlerOptions[] = [];

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly live: LiveConfig<GatewayEnv>,
  ) {
    super(options, storage, reflector);
  }

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.own = this.throttlers.filter((throttler) => this.limits.includes(throttler.name ?? 'default'));
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const settings = this.live.current();
    if (!settings.RATE_LIMIT_ENABLED) return true;
    for (const throttler of this.own) {
      if (throttler.skipIf?.(context)) continue;
      const limit = settings[LIMIT_SETTINGS[throttler.name!]!];
      const ttl = throttler.ttl as number;
      try {
        await this.handleRequest({
          context,
          limit,
          ttl,
          blockDuration: ttl,
          throttler,
          getTracker: throttler.getTracker as Tracker,
          // One counter per limit and client, across routes: "per minute per address" means that.
          generateKey: (_context, tracker) => tracker,
        });
      } catch (error) {
        if (error instanceof RateLimitedError) throw new RateLimitedError(error.retryAfterSeconds, throttler.name!);
        throw error;
      }
    }
    return true;
  }

  protected override throwThrottlingException(_: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new RateLimitedError(Math.max(1, detail.timeToBlockExpire), 'limit');
  }
}

/** Before authentication: per client address, and per account on log-in. */
@Injectable()
export class AnonymousRateLimitGuard extends NamedLimitsGuard {
  protected readonly limits = ANONYMOUS_LIMITS;
}

/** After authentication: per user. */
@Injectable()
export class UserRateLimitGuard extends NamedLimitsGuard {
  protected readonly limits = USER_LIMITS;
}
