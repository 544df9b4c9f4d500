import { Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpanKind, SpanStatusCode, extractTraceContext, startSpan, startTracing, stopTracing } from './tracing.js';

type TracedRequest = FastifyRequest & { traceSpan?: Span };

/** Probes and scrapes are not traced: they would drown the traces that matter. */
const UNTRACED = /^\/(health|metrics)(\/|$)/;

/** The span of one HTTP request, active in its handler (see `withRequestSpan`). */
export function requestSpanOf(request: unknown): Span | undefined {
  return (request as TracedRequest).traceSpan;
}

/**
 * Tracing for one app (when OTEL_EXPORTER_OTLP_ENDPOINT is set): an HTTP server span per
 * request, continuing the client's `traceparent` if it sent one; spans flushed on shutdown.
 */
@Module({})
export class TracingModule implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  static forRoot(service: string): DynamicModule {
    startTracing(service);
    return { module: TracingModule };
  }

  async onApplicationShutdown(): Promise<void> {
    await stopTracing();
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request: TracedRequest) => {
      if (UNTRACED.test(request.url)) return;
      request.traceSpan = startSpan(
        `HTTP ${request.method}`,
        SpanKind.SERVER,
        { 'http.request.method': request.method, 'url.path': request.url.split('?')[0] },
        extractTraceContext(request.headers as Record<string, unknown>),
      );
    });
    fastify.addHook('onResponse', async (request: TracedRequest, reply) => {
      const span = request.traceSpan;
      if (!span) return;
      const route = request.routeOptions.url ?? 'unmatched';
      span.updateName(`${request.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': reply.statusCode });
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
  }
}
