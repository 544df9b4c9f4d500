import type { ServiceHost } from '@app/messaging/host';
import { usersEntities, usersMigrations } from '@app/users';
import { UsersEnv } from './users.env.js';

export const USERS_HOST: ServiceHost = {
  service: 'users',
  env: UsersEnv,
  databaseVariable: 'USERS_DB_NAME',
  portVariable: 'USERS_HTTP_PORT',
  grpcPortVariable: 'USERS_GRPC_PORT',
  schema: { entities: usersEntities, migrations: usersMigrations },
};
