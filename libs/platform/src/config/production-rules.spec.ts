// class-transformer's @Type reads design metadata; the apps load this polyfill in main.ts.
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { BaseEnv, DatabaseEnv } from './base.env.js';
import { InvalidEnvironmentError, validateEnv } from './validate-env.js';

const REAL = {
  AMQP_URL: 'amqps://orders:s3cret-Broker@broker:5671',
  DB_PASSWORD: 'Db-pa55word',
  JWT_PUBLIC_KEY: '/etc/keys/jwt-public.pem',
};
const KEY = { JWT_PUBLIC_KEY: REAL.JWT_PUBLIC_KEY };

/** The one-line message `validate` refuses `raw` with; fails the test when it accepts it. */
function refusal(raw: Record<string, unknown>, broker = true): string {
  try {
    validateEnv(DatabaseEnv, { broker })(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
}

describe('default credentials in production', () => {
  it.each([
    ['the default URL (guest/guest)', {}],
    ['guest/guest spelled out', { AMQP_URL: 'amqp://guest:guest@rabbitmq:5672' }],
    ['no user at all (amqplib then logs in as guest)', { AMQP_URL: 'amqp://rabbitmq:5672' }],
  ])('refuses %s as AMQP_URL, in one line naming the variable', (_, amqp) => {
    const message = refusal({ NODE_ENV: 'production', DB_PASSWORD: REAL.DB_PASSWORD, ...KEY, ...amqp });
    expect(message).toMatch(/^Invalid environment: AMQP_URL: the default guest account is refused in production/);
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).not.toContain('DB_PASSWORD');
  });

  it('refuses a broker user without a password, without echoing the URL', () => {
    const message = refusal({ NODE_ENV: 'production', AMQP_URL: 'amqp://orders@rabbitmq', DB_PASSWORD: 'x1', ...KEY });
    expect(message).toBe('Invalid environment: AMQP_URL: a broker user without a password is refused in production');
  });

  it.each([
    ['unset', {}],
    ['empty', { DB_PASSWORD: '' }],
    ['"postgres"', { DB_PASSWORD: 'postgres' }],
  ])('refuses a DB_PASSWORD that is %s', (_, db) => {
    const message = refusal({ NODE_ENV: 'production', AMQP_URL: REAL.AMQP_URL, ...KEY, ...db });
    expect(message).toBe(
      'Invalid environment: DB_PASSWORD: an empty or default ("postgres") database password is refused in production',
    );
  });

  it('names both problems in the same line when both are there', () => {
    const message = refusal({ NODE_ENV: 'production' });
    expect(message).toContain('AMQP_URL:');
    expect(message).toContain('DB_PASSWORD:');
    expect(message).toContain('JWT_PUBLIC_KEY: required in production');
    expect(message).not.toMatch(/[\r\n]/);
  });

  it('starts in production with a broker user of its own and a real database password', () => {
    const config = validateEnv(DatabaseEnv)({ NODE_ENV: 'production', ...REAL });
    expect(config.AMQP_URL).toBe(REAL.AMQP_URL);
  });

  it('accepts the defaults in development and test', () => {
    expect(validateEnv(DatabaseEnv)({}).NODE_ENV).toBe('development');
    expect(validateEnv(DatabaseEnv)({ NODE_ENV: 'test', DB_PASSWORD: 'postgres' }).DB_PASSWORD).toBe('postgres');
  });

  it('leaves AMQP_URL alone for an app that never connects to the broker (the monolith)', () => {
    expect(() =>
      validateEnv(DatabaseEnv, { broker: false })({ NODE_ENV: 'production', DB_PASSWORD: 'x1', ...KEY }),
    ).not.toThrow();
  });

  it('checks no database password for an app without a database (the gateway)', () => {
    expect(() => validateEnv(BaseEnv)({ NODE_ENV: 'production', AMQP_URL: REAL.AMQP_URL, ...KEY })).not.toThrow();
  });
});
