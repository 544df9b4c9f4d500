import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

export const BODY_LIMIT_BYTES = 64 * 1024;
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Correlation-Id when it is a sane value, else a new one. */
export function correlationIdOf(request: IncomingMessage): string {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/**
 * A Fastify-backed Nest app with JSON logs, a 64 KiB body limit, the correlation id as the
 * request id (echoed in X-Correlation-Id), and shutdown hooks on SIGTERM/SIGINT.
 */
export async function createHttpApp(
  module: unknown,
  options: { trustProxy?: boolean } = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    trustProxy: options.trustProxy ?? false,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: correlationIdOf,
    requestIdHeader: false,
    logger: false,
    return503OnClosing: true,
  });
  adapter.getInstance().addHook('onRequest', async (request, reply) => {
    void reply.header('x-correlation-id', request.id);
  });
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  return app;
}
