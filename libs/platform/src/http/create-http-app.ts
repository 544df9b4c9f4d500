import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Logger as NestLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { enableGracefulShutdown, isShuttingDown } from '../start/graceful-shutdown.js';

export const BODY_LIMIT_BYTES = 64 * 1024;
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's X-Correlation-Id when it is a sane value, else a new one. */
export function correlationIdOf(request: IncomingMessage): string {
  const given = request.headers['x-correlation-id'];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/**
 * A Fastify-backed Nest app with JSON logs, a 64 KiB body limit, the correlation id as the
 * request id (echoed in X-Correlation-Id), and a graceful shutdown on SIGTERM/SIGINT (see
 * `enableGracefulShutdown`: readiness 503 first, drain, then connections close, bounded by
 * SHUTDOWN_TIMEOUT_MS).
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
    return503OnClosing: false, // answered below, as problem+json
  });
  adapter.getInstance().addHook('onRequest', async (request, reply) => {
    void reply.header('x-correlation-id', request.id);
  });
  logRequests(adapter.getInstance());
  closeConnectionsOnShutdown(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(module as never, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Figures and bug reports mean little without the runtime they came from.
  new NestLogger('Runtime').log(`Node ${process.version} (${process.platform}-${process.arch}), pid ${process.pid}`);
  // Not Nest's enableShutdownHooks(): it has no deadline, and a second signal does not cut it short.
  enableGracefulShutdown(app);
  return app;
}

/**
 * One access line per answered request (probes and scrapes at debug level only, whatever their
 * status, once each):
 * what, how it ended, how long it took, and the correlation id. Only these fields: headers stay out of the logs (no tokens or
 * cookies to redact) and the line costs one small object.
 */
function logRequests(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const statusCode = reply.statusCode;
    const routine = request.url.startsWith('/health') || request.url.startsWith('/metrics');
    // A probe's 503 is news for the orchestrator, not the log (and expected during a shutdown).
    if (!routine || PinoLogger.root?.isLevelEnabled('debug')) {
      PinoLogger.root?.[routine ? 'debug' : statusCode >= 500 ? 'error' : 'info'](
        {
          correlationId: request.id,
          req: { method: request.method, url: request.url, remoteAddress: request.ip },
          res: { statusCode },
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}

/**
 * Fastify's close waits for every connection to end, but Node's `server.close()` closes only
 * those idle at that moment: one whose request is still in flight stays open (keep-alive)
 * after its answer, until the client drops it or `keepAliveTimeout` (72 s) ends, and holds the
 * whole shutdown until SHUTDOWN_TIMEOUT_MS. So from the shutdown signal on, answers say
 * `Connection: close`, and while the server closes, connections that fall idle are closed and
 * requests still arriving on open ones get a clean 503 problem+json.
 */
function closeConnectionsOnShutdown(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('onRequest', async (request, reply) => {
    if (!closing) return;
    await reply
      .code(503)
      .header('retry-after', '1')
      .header('connection', 'close')
      .type('application/problem+json')
      .send({
        type: 'urn:problem-type:service-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: 'this instance is shutting down, try again',
        code: 'SERVICE_UNAVAILABLE',
        correlationId: request.id,
      });
  });
  fastify.addHook('onSend', async (_request, reply, payload) => {
    if (closing || isShuttingDown()) void reply.header('connection', 'close');
    return payload;
  });
  fastify.addHook('preClose', (done) => {
    closing = true;
    const reaper = setInterval(() => fastify.server.closeIdleConnections(), 100).unref();
    fastify.server.once('close', () => clearInterval(reaper));
    done();
  });
}
