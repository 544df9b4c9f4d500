import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail, type ThrottlerRequest } from '@nestjs/throttler';
import { RateLimitedError } from './rate-limited.error.js';
import { ANONYMOUS_LIMITS, USER_LIMITS } from './rate-limits.js';

/** Applies only the named limits of one pipeline step; answers 429 with Retry-After. */
abstract class NamedLimitsGuard extends ThrottlerGuard {
  protected abstract readonly limits: readonly string[];

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const name = request.throttler.name ?? 'default';
    if (!this.limits.includes(name)) return true;
    try {
      return await super.handleRequest(request);
    } catch (error) {
      if (error instanceof RateLimitedError) throw new RateLimitedError(error.retryAfterSeconds, name);
      throw error;
    }
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
