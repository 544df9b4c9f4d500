import { cliDataSource } from '@app/platform';
import { paymentsEntities, paymentsMigrations } from './payments.schema.js';

/** For the TypeORM CLI (`npm run migration:*:payments`). */
export default cliDataSource('PAYMENTS_DB_NAME', 'payments', {
  entities: paymentsEntities,
  migrations: paymentsMigrations,
});
