import type { Actor, Role } from '../rpc/actor.js';

export const UsersRpc = {
  register: 'users.register',
  authenticate: 'users.authenticate',
  get: 'users.get',
  updateProfile: 'users.update-profile',
} as const;

export const UsersErrorCodes = {
  emailTaken: 'EMAIL_TAKEN',
  userNotFound: 'USER_NOT_FOUND',
  invalidCredentials: 'INVALID_CREDENTIALS',
} as const;

export interface RegisterUserRequest {
  email: string;
  password: string;
  name: string;
}

export interface AuthenticateRequest {
  email: string;
  password: string;
}

export interface GetUserRequest {
  actor: Actor;
  userId: string;
}

export interface UpdateProfileRequest {
  actor: Actor;
  userId: string;
  name?: string;
  email?: string;
}

/** A user as every API shows it: never the password hash. */
export interface UserResponse {
  id: string;
  email: string;
  name: string;
  role: Role;
  creditLimitCents: number;
  creditReservedCents: number;
  createdAt: string;
  updatedAt: string;
}
