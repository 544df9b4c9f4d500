import { OutboxOrmEntity } from '@app/messaging';
import { CreateUsers1764000000000 } from './migrations/1764000000000-CreateUsers.js';
import { CreateOutbox1764000000001 } from './migrations/1764000000001-CreateOutbox.js';
import { UserOrmEntity } from './user.orm-entity.js';

/** Everything the users database holds, listed (not globbed) so bundlers and ESM find it. */
export const usersEntities = [UserOrmEntity, OutboxOrmEntity];
export const usersMigrations = [CreateUsers1764000000000, CreateOutbox1764000000001];
