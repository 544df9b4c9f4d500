import { afterEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerModule } from 'nestjs-pino';
import { createHttpApp } from './create-http-app.js';

/** Resolved when the slow handler starts: close() must come while the request is in its handler. */
let entered: () => void = () => undefined;

@Controller()
class SlowController {
  @Get('slow')
  async slow(): Promise<{ ok: boolean }> {
    entered();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { ok: true };
  }
}

@Module({
  imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' } })],
  controllers: [SlowController],
})
class SlowModule {}

describe('createHttpApp: closing', () => {
  let app: NestFastifyApplication | null = null;

  afterEach(async () => {
    await app?.close().catch(() => undefined);
    app = null;
  });

  it('finishes a request in flight, answers it with Connection: close, and does not wait for keep-alive', async () => {
    app = await createHttpApp(SlowModule);
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/slow`.replace('[::1]', '127.0.0.1');

    const handling = new Promise<void>((resolve) => (entered = resolve));
    const started = Date.now();
    // fetch keeps the connection alive: before the fix, close() waited for it (keepAliveTimeout, 72 s)
    const inFlight = fetch(url).then(async (response) => ({
      status: response.status,
      connection: response.headers.get('connection'),
      body: (await response.json()) as unknown,
    }));
    // Not a fixed sleep: on a loaded machine the request may not have reached the handler yet, and
    // a request that arrives after close() began is rightly refused (503).
    await handling;
    await app.close();
    const closedAfter = Date.now() - started;

    expect(await inFlight).toEqual({ status: 200, connection: 'close', body: { ok: true } });
    expect(closedAfter).toBeLessThan(2000);
  }, 15_000);
});
