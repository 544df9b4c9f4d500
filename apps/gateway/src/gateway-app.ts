import type { DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp } from '@app/platform';
import { configureHttpPipeline } from './http/gateway-pipeline.js';
import { setUpOpenApi } from './openapi/set-up-openapi.js';
import type { GatewayEnv } from './gateway.env.js';

/** The gateway's HTTP app, pipeline and routes in place, not yet listening: the same in both shapes. */
export async function createGatewayApp(module: DynamicModule): Promise<NestFastifyApplication> {
  // Read before the app (and its validated config) exists: Fastify takes it at construction.
  const app = await createHttpApp(module, { trustProxy: process.env.TRUST_PROXY === 'true' });
  const config = app.get<ConfigService<GatewayEnv, true>>(ConfigService);
  await configureHttpPipeline(app, config);
  app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
  if (config.get('OPENAPI_ENABLED', { infer: true })) setUpOpenApi(app);
  return app;
}

/** Starts serving on GATEWAY_PORT (3000). */
export async function listenGateway(app: NestFastifyApplication): Promise<void> {
  const config = app.get<ConfigService<GatewayEnv, true>>(ConfigService);
  await app.listen(config.get('GATEWAY_PORT', { infer: true }), config.get('HTTP_HOST', { infer: true }));
}
