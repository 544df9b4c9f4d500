import type { Role } from '../rpc/actor.js';

export const UsersEvents = {
  userRegistered: { type: 'UserRegistered', version: 1, routingKey: 'users.user-registered.v1' },
  userProfileUpdated: {
    type: 'UserProfileUpdated',
    version: 1,
    routingKey: 'users.user-profile-updated.v1',
  },
} as const;

export interface UserRegisteredV1 {
  userId: string;
  email: string;
  name: string;
  role: Role;
  creditLimitCents: number;
}

export interface UserProfileUpdatedV1 {
  userId: string;
  email: string;
  name: string;
}
