import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { RpcQueues } from '@app/contracts';
import { createInProcessContext, inProcessInfrastructure } from '@app/messaging/host';
import { InProcessBroker } from '@app/messaging/in-process';
import { DependencyGate, ManagementServer, runApp, validateEnv } from '@app/platform';
import { GatewayAppModule } from '../../gateway/src/gateway-app.module.js';
import { createGatewayApp, listenGateway } from '../../gateway/src/gateway-app.js';
import { OrdersAppModule } from '../../orders/src/orders-app.module.js';
import { ORDERS_HOST } from '../../orders/src/orders.host.js';
import { PaymentsAppModule } from '../../payments/src/payments-app.module.js';
import { PAYMENTS_HOST } from '../../payments/src/payments.host.js';
import { UsersAppModule } from '../../users/src/users-app.module.js';
import { USERS_HOST } from '../../users/src/users.host.js';
import { provideDatabaseServer } from './database-server.js';
import { inProcessGatewayTransport } from './in-process-gateway-transport.js';
import { MonolithEnv } from './monolith.env.js';

/**
 * The modular monolith: the gateway, users, orders and payments composition roots of the services, in
 * one process. Each context keeps its own container and database; RPC and events go through
 * the in-process broker instead of RabbitMQ, with the same outbox, inbox, retries and dead
 * letters. Nothing in a context knows which shape it runs in.
 */
runApp(async () => {
  // Held until the first context's JSON logger takes over, so every line is JSON, as in the services.
  Logger.attachBuffer();
  // A .env file is read by every app's config; read it here first, as DB_HOST decides the database.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = validateEnv(MonolithEnv)(process.env);
  const database = await provideDatabaseServer(env);
  const broker = new InProcessBroker();
  const infrastructure = inProcessInfrastructure(broker, 'monolith');
  // One entry per context: a fourth service is one more line here.
  const contexts = [];
  for (const [module, host] of [
    [UsersAppModule.on(infrastructure), USERS_HOST],
    [OrdersAppModule.on(infrastructure), ORDERS_HOST],
    [PaymentsAppModule.on(infrastructure), PAYMENTS_HOST],
  ] as const) {
    const app = await createInProcessContext(module, host, broker);
    contexts.push({ name: host.service, queue: RpcQueues[host.service], app });
  }
  const app = await createGatewayApp(
    GatewayAppModule.over(inProcessGatewayTransport(broker, { contexts, database }), 'monolith', false),
  );
  // HTTP first: /health/live answers, and /health/ready says what each context waits for (a
  // PostgreSQL at DB_HOST that is down), while the contexts connect, retried until it answers.
  await listenGateway(app);
  await app.get(DependencyGate).open();
  await Promise.all(contexts.map((context) => context.app.listen()));
  // Every consumer is bound now: relays may deliver (and catch up on what an earlier run left).
  broker.open();
  new Logger('Monolith').log(
    `modular monolith (${contexts.map((context) => context.name).join(', ')} and the gateway in one process, in-process transport) on ${await app.getUrl()}, ` +
      `data in ${database ? database.dataDir : `PostgreSQL at ${process.env.DB_HOST}`}; ` +
      `metrics and detailed health on ${app.get(ManagementServer).url()}`,
  );
});
