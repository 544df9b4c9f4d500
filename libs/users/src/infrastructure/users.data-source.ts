import { buildDataSource } from '@app/platform';
import { usersEntities, usersMigrations } from './users.schema.js';

/**
 * For the TypeORM CLI (`npm run migration:* users`): the same schema the service runs with,
 * connection from the same variables and defaults.
 */
export default buildDataSource({
  host: process.env.DB_HOST || '127.0.0.1',
  port: Number(process.env.DB_PORT || 5432),
  user: process.env.DB_USER || 'postgres',
  password: process.env.DB_PASSWORD || '',
  database: process.env.USERS_DB_NAME || 'users',
  poolSize: 2,
  migrationsRun: false,
  entities: usersEntities,
  migrations: usersMigrations,
});
