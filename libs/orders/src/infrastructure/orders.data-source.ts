import { buildDataSource } from '@app/platform';
import { ordersEntities, ordersMigrations } from './orders.schema.js';

/** For the TypeORM CLI (`npm run migration:*:orders`): the schema the service runs with. */
export default buildDataSource({
  host: process.env.DB_HOST || '127.0.0.1',
  port: Number(process.env.DB_PORT || 5432),
  user: process.env.DB_USER || 'postgres',
  password: process.env.DB_PASSWORD || '',
  database: process.env.ORDERS_DB_NAME || 'orders',
  poolSize: 2,
  migrationsRun: false,
  entities: ordersEntities,
  migrations: ordersMigrations,
});
