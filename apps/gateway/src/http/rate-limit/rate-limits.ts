import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerOptions } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../../auth/actor.js';
import type { GatewayEnv } from '../../gateway.env.js';
import { RATE_LIMIT_SCOPE, type RateLimitScope } from './rate-limit-scope.decorator.js';

const MINUTE_MS = 60_000;

/** Limits checked before authentication (who is unknown yet: by client address, or account). */
export const ANONYMOUS_LIMITS = ['ip', 'login-ip', 'login-account', 'register-ip'] as const;
/** Limits checked after authentication, by user. */
export const USER_LIMITS = ['user', 'place-order'] as const;

const scopeOf = (context: ExecutionContext): RateLimitScope | undefined =>
  Reflect.getMetadata(RATE_LIMIT_SCOPE, context.getHandler()) as RateLimitScope | undefined;
const onlyFor = (scope: RateLimitScope) => (context: ExecutionContext) => scopeOf(context) !== scope;
const byIp = (req: Record<string, unknown>) => String((req as unknown as AuthenticatedRequest).ip);
const byUser = (req: Record<string, unknown>) => (req as unknown as AuthenticatedRequest).actor?.id ?? byIp(req);
const byAccount = (req: Record<string, unknown>) => {
  const email = (req as unknown as AuthenticatedRequest).body as { email?: unknown } | undefined;
  return typeof email?.email === 'string' ? `account:${email.email.trim().toLowerCase()}` : byIp(req);
};

type Limits = Pick<
  GatewayEnv,
  | 'RATE_LIMIT_IP_PER_MINUTE'
  | 'RATE_LIMIT_USER_PER_MINUTE'
  | 'RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE'
  | 'RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE'
  | 'RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE'
  | 'RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE'
>;

/**
 * The setting each named limit's number comes from. The guards read it from the live
 * configuration per request, so a changed limit holds at once, without a restart.
 */
export const LIMIT_SETTINGS: Readonly<Record<string, keyof Limits>> = {
  ip: 'RATE_LIMIT_IP_PER_MINUTE',
  'login-ip': 'RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE',
  'login-account': 'RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE',
  'register-ip': 'RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE',
  user: 'RATE_LIMIT_USER_PER_MINUTE',
  'place-order': 'RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE',
};

/** Every limit, per minute, from configuration; each named so its 429 says which one hit. */
export function rateLimits(env: Limits): ThrottlerOptions[] {
  return [
    { name: 'ip', ttl: MINUTE_MS, limit: env.RATE_LIMIT_IP_PER_MINUTE, getTracker: byIp },
    {
      name: 'login-ip',
      ttl: MINUTE_MS,
      limit: env.RATE_LIMIT_LOGIN_PER_IP_PER_MINUTE,
      getTracker: byIp,
      skipIf: onlyFor('login'),
    },
    {
      name: 'login-account',
      ttl: MINUTE_MS,
      limit: env.RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE,
      getTracker: byAccount,
      skipIf: onlyFor('login'),
    },
    {
      name: 'register-ip',
      ttl: MINUTE_MS,
      limit: env.RATE_LIMIT_REGISTER_PER_IP_PER_MINUTE,
      getTracker: byIp,
      skipIf: onlyFor('register'),
    },
    {
      name: 'user',
      ttl: MINUTE_MS,
      limit: env.RATE_LIMIT_USER_PER_MINUTE,
      getTracker: byUser,
      skipIf: (context) => !context.switchToHttp().getRequest<AuthenticatedRequest>().actor,
    },
    {
      name: 'place-order',
      ttl: MINUTE_MS,
      limit: env.RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE,
      getTracker: byUser,
      skipIf: onlyFor('place-order'),
    },
  ];
}
