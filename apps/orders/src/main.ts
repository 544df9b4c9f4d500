import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { RpcQueues } from '@app/contracts';
import { AmqpConnection, AmqpRpcServer, prefixed } from '@app/messaging';
import { createHttpApp, runApp } from '@app/platform';
import { OrdersAppModule } from './orders-app.module.js';
import type { OrdersEnv } from './orders.env.js';

runApp(async () => {
  const app = await createHttpApp(OrdersAppModule);
  const config = app.get<ConfigService<OrdersEnv, true>>(ConfigService);
  const amqp = app.get(AmqpConnection);
  app.connectMicroservice({ strategy: new AmqpRpcServer(amqp, prefixed(amqp.options, RpcQueues.orders)) });
  // Handlers (CQRS buses, event subscriptions) register during init: only then take requests,
  // or messages queued while the service was down would find no handler.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(config.get('ORDERS_HTTP_PORT', { infer: true }), config.get('HTTP_HOST', { infer: true }));
});
