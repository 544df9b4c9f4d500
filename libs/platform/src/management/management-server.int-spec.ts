import { EventEmitter } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { HealthModule } from '../health/health.module.js';
import { outboxPublished } from '../metrics/app-metrics.js';
import { enableGracefulShutdown, type ShutdownProcess } from '../start/graceful-shutdown.js';
import { ManagementServer } from './management-server.js';

const DRIVER_ERROR = 'connect ECONNREFUSED 10.0.3.7:5432';
let databaseUp = true;

/** What the management port answered to /health/ready while the app's last shutdown hooks ran. */
let readyDuringLastHooks: number | 'refused' | null = null;
let managementUrl = '';

@Injectable()
class LastHook implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    // Runs after the public HTTP server closed: the drain's last step before the management port.
    readyDuringLastHooks = await fetch(`${managementUrl}/health/ready`).then(
      (response) => response.status,
      () => 'refused' as const,
    );
  }
}

@Module({
  imports: [
    HealthModule.register(
      {
        useFactory: () => [
          {
            name: 'database',
            check: async () => {
              if (!databaseUp) throw new Error(DRIVER_ERROR);
            },
          },
        ],
      },
      { reasons: 'logged' },
    ),
  ],
  providers: [ManagementServer, LastHook],
})
class PublicAppModule {}

class FakeProcess extends EventEmitter implements ShutdownProcess {
  readonly exited = new Promise<number>((resolve) => (this.exit = resolve));
  exit!: (code: number) => void;
}

async function get(url: string): Promise<{ status: number; type: string | null; text: string; allow: string | null }> {
  const response = await fetch(url);
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    text: await response.text(),
    allow: response.headers.get('allow'),
  };
}

describe('ManagementServer', () => {
  let app: NestFastifyApplication | null = null;
  let publicUrl = '';

  beforeAll(() => Logger.overrideLogger(false));

  async function start(managementPort = 0): Promise<ManagementServer> {
    databaseUp = true;
    readyDuringLastHooks = null;
    app = await NestFactory.create<NestFastifyApplication>(PublicAppModule, new FastifyAdapter(), { logger: false });
    const management = app.get(ManagementServer);
    await management.listen(managementPort, '127.0.0.1');
    await app.listen(0, '127.0.0.1');
    managementUrl = management.url();
    publicUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    return management;
  }

  afterEach(async () => {
    await app?.close().catch(() => undefined);
    app = null;
  });

  it('serves /metrics (Prometheus text) and readiness with its reasons, which the public port leaves out', async () => {
    await start();
    outboxPublished.inc();
    const metrics = await get(`${managementUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(metrics.text).toMatch(/^# TYPE outbox_published_total counter$/m);
    expect((await get(`${publicUrl}/metrics`)).status).toBe(404);

    expect(JSON.parse((await get(`${managementUrl}/health/live`)).text)).toMatchObject({ status: 'ok' });
    databaseUp = false;
    const detailed = await get(`${managementUrl}/health/ready`);
    expect(detailed.status).toBe(503);
    expect(JSON.parse(detailed.text)).toMatchObject({ error: { database: { status: 'down', message: DRIVER_ERROR } } });
    const redacted = await get(`${publicUrl}/health/ready`);
    expect(redacted.status).toBe(503);
    expect(JSON.parse(redacted.text)).toMatchObject({ error: { database: { status: 'down' } } });
    expect(redacted.text).not.toContain('ECONNREFUSED');
    databaseUp = true;
    expect((await get(`${managementUrl}/health/ready`)).status).toBe(200);
  });

  it('answers 404 to any other path and 405 to a method other than GET or HEAD', async () => {
    await start();
    for (const path of ['/', '/api/v1/users', '/docs', '/health', '/metrics/x', '/__proto__', '/constructor']) {
      expect({ path, status: (await get(`${managementUrl}${path}`)).status }).toEqual({ path, status: 404 });
    }
    const post = await fetch(`${managementUrl}/metrics`, { method: 'POST' });
    expect({ status: post.status, allow: post.headers.get('allow') }).toEqual({ status: 405, allow: 'GET, HEAD' });
    const head = await fetch(`${managementUrl}/health/live`, { method: 'HEAD' });
    expect({ status: head.status, body: await head.text() }).toEqual({ status: 200, body: '' });
  });

  it('refuses a port already taken, naming the address', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(start(port)).rejects.toThrow(
        `management port: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`,
      );
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('shows 503 through a graceful drain, after the public port closed, and closes last', async () => {
    await start();
    const proc = new FakeProcess();
    enableGracefulShutdown(app!, { timeoutMs: 5000, readinessDelayMs: 0 }, proc);
    proc.emit('SIGTERM', 'SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(readyDuringLastHooks).toBe(503);
    await expect(fetch(`${publicUrl}/health/live`)).rejects.toThrow();
    await expect(fetch(`${managementUrl}/health/live`)).rejects.toThrow();
    app = null; // closed by the drain
  });

  it('closes with the app when the app is closed without a signal', async () => {
    await start();
    await app!.close();
    app = null;
    await expect(fetch(`${managementUrl}/metrics`)).rejects.toThrow();
  });
});
