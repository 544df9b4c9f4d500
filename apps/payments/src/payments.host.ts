import type { ServiceHost } from '@app/messaging/host';
import { paymentsEntities, paymentsMigrations } from '@app/payments';
import { PaymentsEnv } from './payments.env.js';

export const PAYMENTS_HOST: ServiceHost = {
  service: 'payments',
  env: PaymentsEnv,
  databaseVariable: 'PAYMENTS_DB_NAME',
  portVariable: 'PAYMENTS_HTTP_PORT',
  grpcPortVariable: 'PAYMENTS_GRPC_PORT',
  schema: { entities: paymentsEntities, migrations: paymentsMigrations },
};
