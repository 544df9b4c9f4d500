import { cliDataSource } from '@app/platform';
import { usersEntities, usersMigrations } from './users.schema.js';

/** For the TypeORM CLI (`npm run migration:*:users`). */
export default cliDataSource('USERS_DB_NAME', 'users', { entities: usersEntities, migrations: usersMigrations });
