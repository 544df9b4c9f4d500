import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Module } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LoggerModule } from 'nestjs-pino';
import { createHttpApp } from './create-http-app.js';

// A file of its own: nestjs-pino keeps one root logger per process (per jest module registry).

@Controller()
class RoutineController {
  @Get('health/live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @Get('metrics')
  metrics(): string {
    return '# nothing';
  }

  @Get('orders')
  orders(): unknown[] {
    return [];
  }
}

const lines: Record<string, unknown>[] = [];
const stream = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };

@Module({
  imports: [LoggerModule.forRoot({ pinoHttp: [{ level: 'debug' }, stream], forRoutes: [] })],
  controllers: [RoutineController],
})
class RoutineModule {}

describe('createHttpApp: access log', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createHttpApp(RoutineModule);
    await app.listen(0, '127.0.0.1');
  });

  afterAll(() => app.close());

  it('logs each request once: an API call at info, a probe or a scrape at debug only', async () => {
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    for (const path of ['/health/live', '/metrics', '/orders']) await (await fetch(`${base}${path}`)).text();
    await new Promise((resolve) => setTimeout(resolve, 100)); // written once the answer is out

    const access = lines
      .filter((line) => line.msg === 'request completed')
      .map((line) => [(line.req as { url: string }).url, line.level]);
    // pino levels: 20 debug, 30 info
    expect(access).toEqual([
      ['/health/live', 20],
      ['/metrics', 20],
      ['/orders', 30],
    ]);
  });
});
