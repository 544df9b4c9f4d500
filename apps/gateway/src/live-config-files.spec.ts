// class-transformer's @Type reads design metadata; the apps load this polyfill in main.ts.
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { BaseEnv, LiveConfig, type LiveApp } from '@app/platform';
import { GatewayEnv } from './gateway.env.js';

const SCHEMAS: Record<LiveApp, new () => BaseEnv> = {
  gateway: GatewayEnv,
  users: BaseEnv,
  orders: BaseEnv,
  payments: BaseEnv,
};

/** The live configuration files we ship, as each app would take them at start. */
const SHIPPED: Record<string, string> = {
  'deploy/live/live-config.json (docker compose)': readFileSync('deploy/live/live-config.json', 'utf8'),
  'deploy/k8s/live-config.yaml': (
    parse(readFileSync('deploy/k8s/live-config.yaml', 'utf8')) as {
      data: Record<string, string>;
    }
  ).data['live-config.json']!,
};

describe('the shipped live configuration', () => {
  it.each(Object.entries(SHIPPED))('%s is taken by every app, with a version of its own', (_, text) => {
    const dir = mkdtempSync(join(tmpdir(), 'live-config-files-'));
    try {
      const file = join(dir, 'live-config.json');
      writeFileSync(file, text);
      for (const [app, schema] of Object.entries(SCHEMAS)) {
        const live = new LiveConfig({ app: app as LiveApp, schema, rules: { broker: true }, startup: {}, file });
        expect(live.version).toBe(JSON.parse(text).version);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
