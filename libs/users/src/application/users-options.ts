export interface UsersOptions {
  /** Credit limit a newly registered user starts with, in minor units. */
  creditLimitDefaultCents: number;
  /** Lifetime of a refresh token. */
  refreshTokenTtlMs: number;
}

export const USERS_OPTIONS = Symbol('USERS_OPTIONS');
