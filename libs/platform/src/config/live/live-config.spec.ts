// class-transformer's @Type reads design metadata; the apps load this polyfill in main.ts.
import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { BaseEnv } from '../base.env.js';
import { EnvBool, EnvInt } from '../env-decorators.js';
import { InvalidEnvironmentError } from '../validate-env.js';
import { metricsRegistry } from '../../metrics/app-metrics.js';
import { LiveConfig, NO_LIVE_CONFIG } from './live-config.js';

/** A few of the gateway's live settings, with the same kinds of rules. */
class TestGatewayEnv extends BaseEnv {
  @EnvBool()
  RATE_LIMIT_ENABLED = true;

  @EnvInt(1, 100_000_000)
  RATE_LIMIT_IP_PER_MINUTE = 1200;

  @EnvInt(100, 60_000)
  RPC_TIMEOUT_MS = 5000;
}

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'live-config-'));
  file = join(dir, 'live-config.json');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function liveConfig(startup: Record<string, string> = {}, withFile = true): LiveConfig<TestGatewayEnv> {
  const path = withFile ? file : undefined;
  return new LiveConfig({ app: 'gateway', schema: TestGatewayEnv, rules: { broker: true }, startup, file: path });
}

async function metric(name: string): Promise<number | undefined> {
  const found = (await metricsRegistry.getSingleMetric(name)?.get())?.values.find((v) => v.labels.app === 'gateway');
  return found?.value;
}

describe('LiveConfig', () => {
  it('without a file keeps the start-up values, version "none"', async () => {
    const live = liveConfig({ RATE_LIMIT_IP_PER_MINUTE: '30' }, false);
    expect(live.current().RATE_LIMIT_IP_PER_MINUTE).toBe(30);
    expect(live.version).toBe(NO_LIVE_CONFIG);
    expect(await live.reload()).toBe('unchanged');
  });

  it("overlays the file's values on the start-up ones and validates the whole", () => {
    writeFileSync(file, JSON.stringify({ version: 'v1', RATE_LIMIT_IP_PER_MINUTE: 7, LOG_LEVEL: 'debug' }));
    const live = liveConfig({ RPC_TIMEOUT_MS: '800', RATE_LIMIT_IP_PER_MINUTE: '30' });
    expect(live.current()).toMatchObject({ RATE_LIMIT_IP_PER_MINUTE: 7, LOG_LEVEL: 'debug', RPC_TIMEOUT_MS: 800 });
    expect(live.version).toBe('v1');
    expect(Object.isFrozen(live.current())).toBe(true);
  });

  it('refuses to start on a bad file, naming the file and the setting', () => {
    writeFileSync(file, JSON.stringify({ RATE_LIMIT_IP_PER_MINUTE: 0 }));
    expect(() => liveConfig()).toThrow(InvalidEnvironmentError);
    expect(() => liveConfig()).toThrow(
      /live configuration in .*live-config\.json: RATE_LIMIT_IP_PER_MINUTE: .*\(got 0\)/,
    );
  });

  it('leaves keys another app takes live to that app', () => {
    writeFileSync(file, JSON.stringify({ LOG_LEVEL: 'warn' }));
    const live = new LiveConfig({ app: 'users', schema: BaseEnv, rules: { broker: true }, startup: {}, file });
    writeFileSync(file, JSON.stringify({ LOG_LEVEL: 'warn', RATE_LIMIT_IP_PER_MINUTE: 5 }));
    expect(live.current().LOG_LEVEL).toBe('warn');
  });

  it('applies a changed file: one new snapshot, the changed keys, the counter and version gauge', async () => {
    writeFileSync(file, JSON.stringify({ version: 'v1', RATE_LIMIT_IP_PER_MINUTE: 7 }));
    const live = liveConfig();
    const before = live.current();
    const seen: string[][] = [];
    live.onChange((_, changed) => seen.push([...changed]));
    const reloads = (await metric('config_reloads_total')) ?? 0;

    writeFileSync(file, JSON.stringify({ version: 'v2', RATE_LIMIT_IP_PER_MINUTE: 70, RATE_LIMIT_ENABLED: false }));
    expect(await live.reload()).toBe('applied');

    expect(live.current()).toMatchObject({ RATE_LIMIT_IP_PER_MINUTE: 70, RATE_LIMIT_ENABLED: false });
    expect(before.RATE_LIMIT_IP_PER_MINUTE).toBe(7); // a reader's snapshot never changes under it
    expect(seen).toEqual([['RATE_LIMIT_ENABLED', 'RATE_LIMIT_IP_PER_MINUTE']]);
    expect(await metric('config_reloads_total')).toBe(reloads + 1);
    const info = await metricsRegistry.getSingleMetric('config_info')?.get();
    expect(info?.values.filter((v) => v.labels.app === 'gateway').map((v) => v.labels.version)).toEqual(['v2']);
    expect(await live.reload()).toBe('unchanged');
  });

  it.each([
    ['an invalid value', JSON.stringify({ version: 'v9', RATE_LIMIT_IP_PER_MINUTE: -1 })],
    ['a key that needs a restart', JSON.stringify({ version: 'v9', GATEWAY_PORT: 8080 })],
    ['a value of the wrong type', JSON.stringify({ version: 'v9', RATE_LIMIT_ENABLED: 'yes' })],
    ['broken JSON', '{"version": "v9", '],
  ])('refuses %s: counted, old values and version kept, reported once', async (_, text) => {
    writeFileSync(file, JSON.stringify({ version: 'v1', RATE_LIMIT_IP_PER_MINUTE: 7 }));
    const live = liveConfig();
    const failures = (await metric('config_reload_failures_total')) ?? 0;
    writeFileSync(file, text);
    expect(await live.reload()).toBe('refused');
    expect(await live.reload()).toBe('unchanged');
    expect(await metric('config_reload_failures_total')).toBe(failures + 1);
    expect(live.current().RATE_LIMIT_IP_PER_MINUTE).toBe(7);
    expect(live.version).toBe('v1');
  });

  it('refuses a file that disappeared, keeping the values in force', async () => {
    writeFileSync(file, JSON.stringify({ RATE_LIMIT_IP_PER_MINUTE: 7 }));
    const live = liveConfig();
    rmSync(file);
    expect(await live.reload()).toBe('refused');
    expect(live.current().RATE_LIMIT_IP_PER_MINUTE).toBe(7);
  });

  it('notices a change by the poll alone', async () => {
    writeFileSync(file, JSON.stringify({ version: 'v1' }));
    const live = new LiveConfig({
      app: 'gateway',
      schema: TestGatewayEnv,
      rules: { broker: true },
      startup: {},
      file,
      pollMs: 20,
      debounceMs: 60_000, // the directory events never get through in time: only the poll can
    });
    live.watch();
    try {
      writeFileSync(file, JSON.stringify({ version: 'v2' }));
      const deadline = Date.now() + 5000;
      while (live.version !== 'v2' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(live.version).toBe('v2');
    } finally {
      live.stop();
    }
  });
});
