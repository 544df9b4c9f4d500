import { describe, expect, it, jest } from '@jest/globals';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker.js';

class Down extends Error {}
const fail = () => Promise.reject(new Down('down'));
const ok = () => Promise.resolve('ok');

function aBreaker(): CircuitBreaker {
  return new CircuitBreaker('users', { failureThreshold: 3, cooldownMs: 1000 }, (e) => e instanceof Down);
}

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and then refuses at once', async () => {
    const breaker = aBreaker();
    for (let i = 0; i < 3; i += 1) await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
    expect(breaker.status).toBe('open');
    const call = jest.fn(ok);
    const refused = await breaker.run(call).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect((refused as CircuitOpenError).retryAfterMs).toBeGreaterThan(0);
    expect(call).not.toHaveBeenCalled();
  });

  it('counts only consecutive failures: a success in between resets the count', async () => {
    const breaker = aBreaker();
    await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
    await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
    await expect(breaker.run(ok)).resolves.toBe('ok');
    await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
    expect(breaker.status).toBe('closed');
  });

  it('reads settings given as a function at each call: a lowered threshold holds at once', async () => {
    let settings = { failureThreshold: 5, cooldownMs: 1000 };
    const breaker = new CircuitBreaker(
      'users',
      () => settings,
      (e) => e instanceof Down,
    );
    await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
    await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
    expect(breaker.status).toBe('closed');
    settings = { failureThreshold: 3, cooldownMs: 1000 };
    await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
    expect(breaker.status).toBe('open');
  });

  it('does not count errors that are answers (the service is up)', async () => {
    const breaker = aBreaker();
    for (let i = 0; i < 5; i += 1)
      await expect(breaker.run(() => Promise.reject(new Error('EMAIL_TAKEN')))).rejects.toThrow();
    expect(breaker.status).toBe('closed');
  });

  it('lets one trial call through after the cool-down; success closes, failure reopens', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const breaker = aBreaker();
      for (let i = 0; i < 3; i += 1) await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
      jest.setSystemTime(1001);
      await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
      expect(breaker.status).toBe('open');
      jest.setSystemTime(2002);
      await expect(breaker.run(ok)).resolves.toBe('ok');
      expect(breaker.status).toBe('closed');
    } finally {
      jest.useRealTimers();
    }
  });

  it('refuses other calls while the trial call is out', async () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const breaker = aBreaker();
      for (let i = 0; i < 3; i += 1) await expect(breaker.run(fail)).rejects.toBeInstanceOf(Down);
      jest.setSystemTime(1001);
      let release: (value: string) => void = () => undefined;
      const trial = breaker.run(() => new Promise<string>((resolve) => (release = resolve)));
      await expect(breaker.run(ok)).rejects.toBeInstanceOf(CircuitOpenError);
      release('ok');
      await expect(trial).resolves.toBe('ok');
    } finally {
      jest.useRealTimers();
    }
  });
});
