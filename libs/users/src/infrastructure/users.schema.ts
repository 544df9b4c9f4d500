import { InboxOrmEntity, OutboxOrmEntity } from '@app/messaging';
import { CreateUsers1764000000000 } from './migrations/1764000000000-CreateUsers.js';
import { CreateOutbox1764000000001 } from './migrations/1764000000001-CreateOutbox.js';
import { CreateInbox1764000000002 } from './migrations/1764000000002-CreateInbox.js';
import { CreateCreditReservations1764000000003 } from './migrations/1764000000003-CreateCreditReservations.js';
import { CreateRefreshTokens1764000000004 } from './migrations/1764000000004-CreateRefreshTokens.js';
import { CreateUsersDeadLetters1764000000005 } from './migrations/1764000000005-CreateDeadLetters.js';
import { RefreshTokenOrmEntity } from './refresh-token.orm-entity.js';
import { CreditReservationOrmEntity } from './credit-reservation.orm-entity.js';
import { UserOrmEntity } from './user.orm-entity.js';
import { ParkUnroutableEventsAndAgeInbox1764000000006 } from './migrations/1764000000006-ParkUnroutableEventsAndAgeInbox.js';

/** Everything the users database holds, listed (not globbed) so bundlers and ESM find it. */
export const usersEntities = [
  UserOrmEntity,
  CreditReservationOrmEntity,
  RefreshTokenOrmEntity,
  OutboxOrmEntity,
  InboxOrmEntity,
];
export const usersMigrations = [
  CreateUsers1764000000000,
  CreateOutbox1764000000001,
  CreateInbox1764000000002,
  CreateCreditReservations1764000000003,
  CreateRefreshTokens1764000000004,
  CreateUsersDeadLetters1764000000005,
  ParkUnroutableEventsAndAgeInbox1764000000006,
];
