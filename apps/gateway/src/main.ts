import 'reflect-metadata';
import { DependencyGate, runApp } from '@app/platform';
import { GatewayAppModule } from './gateway-app.module.js';
import { createGatewayApp, listenGateway } from './gateway-app.js';
import { amqpGatewayTransport, grpcGatewayTransport } from './rpc/service-clients.js';

runApp(async () => {
  // Read before the validated config exists, which then refuses a value other than amqp or grpc.
  const grpc = process.env.RPC_TRANSPORT === 'grpc';
  const module = grpc
    ? GatewayAppModule.over(grpcGatewayTransport(), 'gateway', false)
    : GatewayAppModule.over(amqpGatewayTransport());
  const app = await createGatewayApp(module);
  // Serve at once; while the broker (or a service) is away, its calls answer 503.
  await listenGateway(app);
  await app.get(DependencyGate).open();
});
