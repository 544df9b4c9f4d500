import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { AmqpConnection } from '@app/messaging';
import { createHttpApp, runApp } from '@app/platform';
import { GatewayAppModule } from './gateway-app.module.js';
import { configureHttpPipeline } from './http/gateway-pipeline.js';
import { setUpOpenApi } from './openapi/set-up-openapi.js';
import type { GatewayEnv } from './gateway.env.js';

runApp(async () => {
  // Read before the app (and its validated config) exists: Fastify takes it at construction.
  const app = await createHttpApp(GatewayAppModule, { trustProxy: process.env.TRUST_PROXY === 'true' });
  const config = app.get<ConfigService<GatewayEnv, true>>(ConfigService);
  await configureHttpPipeline(app, config);
  app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
  if (config.get('OPENAPI_ENABLED', { infer: true })) setUpOpenApi(app);
  // Serve at once; while the broker is away, calls answer 503 and readiness says why.
  app
    .get(AmqpConnection)
    .start()
    .catch(() => undefined);
  await app.listen(config.get('GATEWAY_PORT', { infer: true }), config.get('HTTP_HOST', { infer: true }));
});
