import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { AmqpConnection } from '@app/messaging';
import { createHttpApp, runApp } from '@app/platform';
import { GatewayAppModule } from './gateway-app.module.js';
import type { GatewayEnv } from './gateway.env.js';

runApp(async () => {
  const app = await createHttpApp(GatewayAppModule);
  const config = app.get<ConfigService<GatewayEnv, true>>(ConfigService);
  // JSON only: without a text/plain parser, any other body type is a 415.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.setGlobalPrefix('api/v1', { exclude: ['health/live', 'health/ready'] });
  // Serve at once; while the broker is away, calls answer 503 and readiness says why.
  void app.get(AmqpConnection).start();
  await app.listen(config.get('GATEWAY_PORT', { infer: true }), config.get('HTTP_HOST', { infer: true }));
});
