import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ManagementServer, createHttpApp } from '@app/platform';
import { configureHttpPipeline } from './http/gateway-pipeline.js';
import { setUpOpenApi } from './openapi/set-up-openapi.js';
import type { GatewayEnv } from './gateway.env.js';

/** The gateway's HTTP app, pipeline and routes in place, not yet listening: the same in both shapes. */
export async function createGatewayApp(module: DynamicModule): Promise<NestFastifyApplication> {
  // Read before the app (and its validated config) exists: Fastify takes it at construction.
  const app = await createHttpApp(module, { trustProxy: process.env.TRUST_PROXY === 'true' });
  const config = app.get<ConfigService<GatewayEnv, true>>(ConfigService);
  await configureHttpPipeline(app, config);
  app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready'] });
  if (config.get('OPENAPI_ENABLED', { infer: true })) setUpOpenApi(app);
  return app;
}

/**
 * Starts serving: the management port (MANAGEMENT_PORT, 9000: metrics, detailed health) first,
 * so the cluster sees readiness as soon as anything answers, then the public port (GATEWAY_PORT,
 * 3000: the API, /docs, redacted health). Both on HTTP_HOST: in a pod the kubelet and Prometheus
 * reach the pod's address like any client, so binding elsewhere would hide nothing there; what
 * may reach the management port is the NetworkPolicy's business.
 */
export async function listenGateway(app: NestFastifyApplication): Promise<void> {
  const config = app.get<ConfigService<GatewayEnv, true>>(ConfigService);
  const host = config.get('HTTP_HOST', { infer: true });
  await app.get(ManagementServer).listen(config.get('MANAGEMENT_PORT', { infer: true }), host);
  await app.listen(config.get('GATEWAY_PORT', { infer: true }), host);
}
