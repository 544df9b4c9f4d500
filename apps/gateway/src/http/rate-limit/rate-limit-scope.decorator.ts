import { SetMetadata } from '@nestjs/common';

export type RateLimitScope = 'login' | 'register' | 'place-order';

export const RATE_LIMIT_SCOPE = 'rateLimitScope';

/** Puts a route under a stricter limit of its own, on top of the general ones. */
export const RateLimited = (scope: RateLimitScope): MethodDecorator => SetMetadata(RATE_LIMIT_SCOPE, scope);
