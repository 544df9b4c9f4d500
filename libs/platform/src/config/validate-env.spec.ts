// class-transformer's @Type reads design metadata; the apps load this polyfill in main.ts.
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { DatabaseEnv } from './base.env.js';
import { InvalidEnvironmentError, validateEnv } from './validate-env.js';

const validate = validateEnv(DatabaseEnv);

/** The error `validate` throws for `raw`; fails the test when it throws nothing. */
function errorFor(raw: Record<string, unknown>): InvalidEnvironmentError {
  try {
    validate(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return error as InvalidEnvironmentError;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('validateEnv', () => {
  it('applies the defaults when nothing is set, with numbers and booleans typed', () => {
    const config = validate({});
    expect(config).toBeInstanceOf(DatabaseEnv);
    expect(config.DB_HOST).toBe('127.0.0.1');
    expect(config.DB_PORT).toBe(5432);
    expect(config.DB_MIGRATIONS_RUN).toBe(true);
    expect(config.DB_POOL_SIZE).toBe(10);
    expect(config.AMQP_URL).toBe('amqp://guest:guest@127.0.0.1:5672');
  });

  it('converts given strings to the declared types', () => {
    const config = validate({ DB_HOST: 'db.internal', DB_PORT: '6543', DB_POOL_SIZE: '3' });
    expect(config.DB_HOST).toBe('db.internal');
    expect(config.DB_PORT).toBe(6543);
    expect(config.DB_POOL_SIZE).toBe(3);
  });

  it('rejects a non-numeric DB_PORT with one line naming the variable and the value', () => {
    const error = errorFor({ DB_PORT: 'abc' });
    expect(error.name).toBe('InvalidEnvironmentError');
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain('DB_PORT');
    expect(error.message).toContain('"abc"');
  });

  it.each([['0'], ['65536'], ['54.5']])('rejects DB_PORT=%s as out of range or not whole', (port) => {
    expect(errorFor({ DB_PORT: port }).message).toContain('DB_PORT');
  });

  it('rejects DB_MIGRATIONS_RUN=yes, naming the variable (only "true" and "false" are booleans)', () => {
    const error = errorFor({ DB_MIGRATIONS_RUN: 'yes' });
    expect(error.message).toContain('DB_MIGRATIONS_RUN');
    expect(error.message).toContain('"yes"');
  });

  it('reads DB_MIGRATIONS_RUN=false as the boolean false', () => {
    expect(validate({ DB_MIGRATIONS_RUN: 'false' }).DB_MIGRATIONS_RUN).toBe(false);
    expect(validate({ DB_MIGRATIONS_RUN: 'true' }).DB_MIGRATIONS_RUN).toBe(true);
  });

  it('treats an empty string as unset, so the default applies', () => {
    const config = validate({ DB_PORT: '', DB_HOST: '', DB_MIGRATIONS_RUN: '' });
    expect(config.DB_PORT).toBe(5432);
    expect(config.DB_HOST).toBe('127.0.0.1');
    expect(config.DB_MIGRATIONS_RUN).toBe(true);
  });

  it('never echoes a secret in the message, even when another variable is invalid', () => {
    const error = errorFor({ DB_PASSWORD: 'hunter2', DB_POOL_SIZE: '0' });
    expect(error.message).toContain('DB_POOL_SIZE');
    expect(error.message).not.toContain('hunter2');
  });

  it('reports every invalid variable in the same single line', () => {
    const error = errorFor({ DB_PORT: 'abc', DB_POOL_SIZE: '999' });
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain('DB_PORT');
    expect(error.message).toContain('DB_POOL_SIZE');
  });

  it('copies no unrelated environment keys onto the result', () => {
    const config = validate({ PATH: '/usr/bin', HOME: '/root', DB_USER: 'app' }) as unknown as Record<string, unknown>;
    expect(config.DB_USER).toBe('app');
    expect(config).not.toHaveProperty('PATH');
    expect(config).not.toHaveProperty('HOME');
  });

  it.each([['http://x'], ['postgres://guest@host'], ['amqp:/missing-slash']])('rejects AMQP_URL=%s', (url) => {
    const error = errorFor({ AMQP_URL: url });
    expect(error.message).toContain('AMQP_URL');
    expect(error.message).toContain('amqp://');
  });

  it('accepts amqp:// and amqps:// URLs', () => {
    expect(validate({ AMQP_URL: 'amqps://u:p@broker:5671' }).AMQP_URL).toBe('amqps://u:p@broker:5671');
  });
});
