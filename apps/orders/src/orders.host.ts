import type { ServiceHost } from '@app/messaging/host';
import { ordersEntities, ordersMigrations } from '@app/orders';
import { OrdersEnv } from './orders.env.js';

export const ORDERS_HOST: ServiceHost = {
  service: 'orders',
  env: OrdersEnv,
  databaseVariable: 'ORDERS_DB_NAME',
  portVariable: 'ORDERS_HTTP_PORT',
  grpcPortVariable: 'ORDERS_GRPC_PORT',
  schema: { entities: ordersEntities, migrations: ordersMigrations },
};
