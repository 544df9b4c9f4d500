import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { validateEnv } from '@app/platform';
import { GatewayEnv } from '../../gateway.env.js';

const validate = validateEnv(GatewayEnv);

function problemWith(raw: Record<string, unknown>): string {
  try {
    validate(raw);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('the rate-limit store settings', () => {
  it('count in memory by default, with no Redis needed', () => {
    expect(validate({})).toMatchObject({ RATE_LIMIT_STORE: 'memory', REDIS_URL: undefined });
  });

  it('take Redis with its URL, prefix and command timeout', () => {
    expect(
      validate({
        RATE_LIMIT_STORE: 'redis',
        REDIS_URL: 'rediss://:secret@redis:6380/2',
        RATE_LIMIT_REDIS_PREFIX: 'staging:rl:',
        RATE_LIMIT_REDIS_TIMEOUT_MS: '250',
      }),
    ).toMatchObject({
      RATE_LIMIT_STORE: 'redis',
      RATE_LIMIT_REDIS_PREFIX: 'staging:rl:',
      RATE_LIMIT_REDIS_TIMEOUT_MS: 250,
    });
  });

  it('refuse Redis without a URL, and say which variable is missing', () => {
    expect(problemWith({ RATE_LIMIT_STORE: 'redis' })).toMatch(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
  });

  it('refuse an unknown store, a URL of another scheme (without echoing its password), a bad prefix or timeout', () => {
    expect(problemWith({ RATE_LIMIT_STORE: 'memcached' })).toMatch(/RATE_LIMIT_STORE: .*memory, redis/);
    const url = problemWith({ RATE_LIMIT_STORE: 'redis', REDIS_URL: 'http://user:hunter2@redis:6379' });
    expect(url).toMatch(/REDIS_URL/);
    expect(url).not.toContain('hunter2');
    expect(problemWith({ RATE_LIMIT_REDIS_PREFIX: 'has space' })).toMatch(/RATE_LIMIT_REDIS_PREFIX/);
    expect(problemWith({ RATE_LIMIT_REDIS_TIMEOUT_MS: '5' })).toMatch(/RATE_LIMIT_REDIS_TIMEOUT_MS/);
  });
});
