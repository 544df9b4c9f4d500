import 'reflect-metadata';
import { DependencyGate, runApp } from '@app/platform';
import { GatewayAppModule } from './gateway-app.module.js';
import { createGatewayApp, listenGateway } from './gateway-app.js';
import { amqpGatewayTransport } from './rpc/service-clients.js';

runApp(async () => {
  const app = await createGatewayApp(GatewayAppModule.over(amqpGatewayTransport()));
  // Serve at once; while the broker is away, calls answer 503 and readiness says why.
  await listenGateway(app);
  await app.get(DependencyGate).open();
});
