import { cliDataSource } from '@app/platform';
import { ordersEntities, ordersMigrations } from './orders.schema.js';

/** For the TypeORM CLI (`npm run migration:*:orders`). */
export default cliDataSource('ORDERS_DB_NAME', 'orders', { entities: ordersEntities, migrations: ordersMigrations });
