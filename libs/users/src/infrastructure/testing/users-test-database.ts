import { openTestDatabase } from '../../../../../test/support/postgres-test-kit.js';
import { usersEntities, usersMigrations } from '../users.schema.js';

/** A migrated users database of one spec file's own; `drop` closes and removes it. */
export const openUsersTestDatabase = (kind: string, poolSize?: number) =>
  openTestDatabase(kind, { entities: usersEntities, migrations: usersMigrations }, poolSize);
