import { describe, expect, it } from '@jest/globals';
import { DependencyGate, StartupAbortedError } from './dependency-gate.js';

/** A dependency that refuses `failures` times, then connects. */
function flaky(name: string, failures: number, log: string[]) {
  let attempts = 0;
  return {
    name,
    connect: async () => {
      attempts += 1;
      if (attempts <= failures) throw new Error(`${name} refused (${attempts})`);
      log.push(`${name} up`);
    },
  };
}

describe('DependencyGate', () => {
  it('retries a dependency until it answers, then runs the start steps in order', async () => {
    const log: string[] = [];
    const gate = new DependencyGate();
    gate.require(flaky('database', 2, log));
    gate.require(flaky('broker', 0, log));
    gate.whenOpen('consumers', () => void log.push('consumers'));
    gate.whenOpen('timers', async () => void log.push('timers'));

    await gate.open();

    expect(log).toEqual(['broker up', 'database up', 'consumers', 'timers']);
    expect(gate.status()).toEqual({ open: true });
  });

  it('says what it waits for, and why, until it is open', async () => {
    const gate = new DependencyGate();
    gate.require({ name: 'database', connect: () => Promise.reject(new Error('connect ECONNREFUSED')) });
    gate.require({ name: 'broker', connect: () => new Promise(() => undefined), lastError: () => 'heartbeat timeout' });
    const opening = gate.open();
    opening.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const status = gate.status();
    expect(status.open).toBe(false);
    expect(!status.open && status.waitingFor).toEqual({
      database: expect.stringMatching(/unreachable after 1 attempt\(s\).*: connect ECONNREFUSED$/),
      broker: expect.stringMatching(/connecting .*: heartbeat timeout$/),
    });
    gate.beforeApplicationShutdown();
    await expect(opening).rejects.toBeInstanceOf(StartupAbortedError);
  });

  it('stops waiting at once on shutdown, and runs no start step', async () => {
    const log: string[] = [];
    const gate = new DependencyGate();
    gate.require(flaky('database', Infinity, log));
    gate.whenOpen('consumers', () => void log.push('consumers'));
    const opening = gate.open();
    await new Promise((resolve) => setTimeout(resolve, 50));

    const startedAt = Date.now();
    gate.beforeApplicationShutdown();
    await expect(opening).rejects.toBeInstanceOf(StartupAbortedError);
    expect(Date.now() - startedAt).toBeLessThan(100);
    expect(log).toEqual([]);
  });

  it('refuses registrations once opened: they would never run', async () => {
    const gate = new DependencyGate();
    await gate.open();
    expect(() => gate.whenOpen('late', () => undefined)).toThrow(/after the start-up gate opened/);
  });
});
