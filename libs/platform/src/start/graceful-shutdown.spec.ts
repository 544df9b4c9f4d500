import { EventEmitter } from 'node:events';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { BaseEnv } from '../config/base.env.js';
import { InvalidEnvironmentError, validateEnv } from '../config/validate-env.js';
import { ShutdownState } from '../health/shutdown-state.js';
import {
  closeAfterApp,
  enableGracefulShutdown,
  shutdownSettingsFrom,
  type ShutdownProcess,
} from './graceful-shutdown.js';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class FakeProcess extends EventEmitter implements ShutdownProcess {
  readonly exits: number[] = [];
  readonly exited = new Promise<number>((resolve) => (this.resolveExit = resolve));
  private resolveExit!: (code: number) => void;

  exit(code: number): void {
    this.exits.push(code);
    this.resolveExit(code);
  }
}

/** An app whose close() takes `closeMs` (or never ends, or fails), recording what happened when. */
function fakeApp(close: () => Promise<void>) {
  const state = new ShutdownState();
  const events: string[] = [];
  const app = {
    get: () => state,
    getMicroservices: () => [{ getTransportServer: () => ({ close: async () => void events.push('rpc closed') }) }],
    close: async () => {
      events.push(`close (ready ${state.isShuttingDown ? 503 : 200})`);
      await close();
      events.push('closed');
    },
  } as unknown as INestApplicationContext;
  return { app, state, events };
}

describe('enableGracefulShutdown', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('flips readiness at once, closes the RPC servers then the app, and exits 0', async () => {
    const proc = new FakeProcess();
    const { app, state, events } = fakeApp(() => sleep(20));
    enableGracefulShutdown(app, { timeoutMs: 1000, readinessDelayMs: 30 }, proc);

    proc.emit('SIGTERM', 'SIGTERM');
    expect(state.isShuttingDown).toBe(true);
    expect(events).toEqual([]); // the readiness delay: nothing closes yet
    expect(await proc.exited).toBe(0);
    expect(events).toEqual(['rpc closed', 'close (ready 503)', 'closed']);
    expect(proc.exits).toEqual([0]);
  });

  it("keeps a late closer (a management port) open through the app's close, then closes it", async () => {
    const proc = new FakeProcess();
    const { app, events } = fakeApp(() => sleep(20));
    const unregister = closeAfterApp({
      stayOpenThroughAppClose: () => void events.push('management held open'),
      close: async () => void events.push('management closed'),
    });
    try {
      enableGracefulShutdown(app, { timeoutMs: 1000, readinessDelayMs: 0 }, proc);
      proc.emit('SIGTERM', 'SIGTERM');
      expect(await proc.exited).toBe(0);
      expect(events).toEqual([
        'management held open',
        'rpc closed',
        'close (ready 503)',
        'closed',
        'management closed',
      ]);
    } finally {
      unregister();
    }
  });

  it('exits 1 at once on a second signal', async () => {
    const proc = new FakeProcess();
    const { app } = fakeApp(() => new Promise(() => undefined));
    enableGracefulShutdown(app, { timeoutMs: 5000, readinessDelayMs: 0 }, proc);

    proc.emit('SIGTERM', 'SIGTERM');
    await sleep(10);
    expect(proc.exits).toEqual([]);
    proc.emit('SIGINT', 'SIGINT');
    expect(proc.exits).toEqual([1]);
  });

  it('exits 1 when the drain outlives the timeout', async () => {
    const proc = new FakeProcess();
    const { app } = fakeApp(() => new Promise(() => undefined));
    enableGracefulShutdown(app, { timeoutMs: 50, readinessDelayMs: 0 }, proc);

    const started = Date.now();
    proc.emit('SIGTERM', 'SIGTERM');
    expect(await proc.exited).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('exits 1 when closing fails', async () => {
    const proc = new FakeProcess();
    const { app } = fakeApp(() => Promise.reject(new Error('boom')));
    enableGracefulShutdown(app, { timeoutMs: 1000, readinessDelayMs: 0 }, proc);

    proc.emit('SIGTERM', 'SIGTERM');
    expect(await proc.exited).toBe(1);
  });
});

describe('shutdownSettingsFrom', () => {
  it('defaults to 25 s and no readiness delay, an empty value counting as unset', () => {
    expect(shutdownSettingsFrom({})).toEqual({ timeoutMs: 25_000, readinessDelayMs: 0 });
    expect(shutdownSettingsFrom({ SHUTDOWN_TIMEOUT_MS: '', SHUTDOWN_READINESS_DELAY_MS: '' })).toEqual({
      timeoutMs: 25_000,
      readinessDelayMs: 0,
    });
    expect(shutdownSettingsFrom({ SHUTDOWN_TIMEOUT_MS: '10000', SHUTDOWN_READINESS_DELAY_MS: '500' })).toEqual({
      timeoutMs: 10_000,
      readinessDelayMs: 500,
    });
  });

  it.each(['999', '600001', '1e4', '10s', '-5', '0x100'])('refuses SHUTDOWN_TIMEOUT_MS=%s', (value) => {
    expect(() => shutdownSettingsFrom({ SHUTDOWN_TIMEOUT_MS: value })).toThrow(InvalidEnvironmentError);
    expect(() => shutdownSettingsFrom({ SHUTDOWN_TIMEOUT_MS: value })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });

  it('stops the app at start through BaseEnv too', () => {
    expect(validateEnv(BaseEnv)({}).SHUTDOWN_TIMEOUT_MS).toBe(25_000);
    expect(() => validateEnv(BaseEnv)({ SHUTDOWN_TIMEOUT_MS: '999' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(() => validateEnv(BaseEnv)({ SHUTDOWN_READINESS_DELAY_MS: '-1' })).toThrow(/SHUTDOWN_READINESS_DELAY_MS/);
  });
});
