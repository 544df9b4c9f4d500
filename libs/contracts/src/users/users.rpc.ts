import type { Authenticated, Role } from '../rpc/actor.js';

export const UsersRpc = {
  register: 'users.register',
  authenticate: 'users.authenticate',
  refresh: 'users.refresh',
  logout: 'users.logout',
  get: 'users.get',
  list: 'users.list',
  updateProfile: 'users.update-profile',
} as const;

export const UsersErrorCodes = {
  emailTaken: 'EMAIL_TAKEN',
  userNotFound: 'USER_NOT_FOUND',
  invalidCredentials: 'INVALID_CREDENTIALS',
  invalidRefreshToken: 'INVALID_REFRESH_TOKEN',
} as const;

export const USERS_PAGE_MAX = 100;
export const USERS_PAGE_DEFAULT = 20;

export interface RegisterUserRequest {
  email: string;
  password: string;
  name: string;
}

export interface AuthenticateRequest {
  email: string;
  password: string;
}

/** What a successful log-in or refresh answers: the user and a new opaque refresh token. */
export interface SessionResponse {
  user: UserResponse;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface ListUsersRequest extends Authenticated {
  limit?: number;
  cursor?: string;
}

export interface UserListResponse {
  items: UserResponse[];
  nextCursor: string | null;
}

export interface GetUserRequest extends Authenticated {
  userId: string;
}

export interface UpdateProfileRequest extends Authenticated {
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
