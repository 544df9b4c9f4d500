import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics } from 'prom-client';
import { httpRequestDuration, metricsRegistry } from './app-metrics.js';
import { MetricsController } from './metrics.controller.js';

/**
 * prom-client's gauges of the active handles, requests and resources in all, which break the
 * `_total` rule of Prometheus (`promtool check metrics`: only counters end in `_total`). Their
 * per-type twins stay (`nodejs_active_handles{type}`): `sum without (type) (...)` is the total.
 */
const MISNAMED_DEFAULT_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

let defaultsCollected = false;

/** Node's own metrics (prom-client's defaults, less the misnamed gauges), registered once per process. */
export function collectNodeMetrics(): void {
  if (defaultsCollected) return;
  collectDefaultMetrics({ register: metricsRegistry });
  for (const name of MISNAMED_DEFAULT_GAUGES) metricsRegistry.removeSingleMetric(name);
  defaultsCollected = true;
}

export interface MetricsModuleOptions {
  /**
   * Serve `/metrics` on this app's HTTP port (users and orders: their port is their management
   * port). `false` on a public port: the gateway and the monolith serve it on MANAGEMENT_PORT
   * (ManagementServer).
   */
  endpoint: boolean;
}

/** Metrics for one app: its series labelled `service`, Node's own metrics, and HTTP timings. */
@Module({})
export class MetricsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  static forRoot(service: string, options: MetricsModuleOptions = { endpoint: true }): DynamicModule {
    metricsRegistry.setDefaultLabels({ service });
    collectNodeMetrics();
    return { module: MetricsModule, controllers: options.endpoint ? [MetricsController] : [] };
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
