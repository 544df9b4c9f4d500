import 'reflect-metadata';
import { AmqpConnection } from '@app/messaging';
import { runApp } from '@app/platform';
import { GatewayAppModule } from './gateway-app.module.js';
import { createGatewayApp, listenGateway } from './gateway-app.js';
import { amqpGatewayTransport } from './rpc/service-clients.js';

runApp(async () => {
  const app = await createGatewayApp(GatewayAppModule.over(amqpGatewayTransport()));
  // Serve at once; while the broker is away, calls answer 503 and readiness says why.
  app
    .get(AmqpConnection)
    .start()
    .catch(() => undefined);
  await listenGateway(app);
});
