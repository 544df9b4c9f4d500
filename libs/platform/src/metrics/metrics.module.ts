import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics } from 'prom-client';
import { httpRequestDuration, metricsRegistry } from './app-metrics.js';
import { MetricsController } from './metrics.controller.js';

let defaultsCollected = false;

/** /metrics for one app: its series labelled `service`, Node's own metrics, and HTTP timings. */
@Module({})
export class MetricsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  static forRoot(service: string): DynamicModule {
    metricsRegistry.setDefaultLabels({ service });
    if (!defaultsCollected) {
      collectDefaultMetrics({ register: metricsRegistry });
      defaultsCollected = true;
    }
    return { module: MetricsModule, controllers: [MetricsController] };
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', async (request, reply) => {
      httpRequestDuration.observe(
        {
          method: request.method,
          // The route template (/api/v1/orders/:id), never the raw path: bounded label values.
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
  }
}
