import { z } from 'zod';
import { Roles } from '../rpc/actor.js';
import { defineRpc } from '../rpc/define-rpc.js';
import {
  authenticatedSchema,
  cursorSchema,
  entityIdSchema,
  instantSchema,
  pageLimitSchema,
} from '../rpc/wire-rules.js';

export const UsersErrorCodes = {
  emailTaken: 'EMAIL_TAKEN',
  userNotFound: 'USER_NOT_FOUND',
  invalidCredentials: 'INVALID_CREDENTIALS',
  invalidRefreshToken: 'INVALID_REFRESH_TOKEN',
} as const;

/** Our refresh tokens are 43 characters (32 random bytes, base64url); the bound is generous. */
export const REFRESH_TOKEN_MAX_LENGTH = 200;

// Email, password and name are checked by the users domain (its value objects trim, count code
// points and apply the business rules); on the wire they are strings.
const registerUserRequest = z.object({
  email: z.string({ error: 'must be a string' }),
  password: z.string({ error: 'must be a string' }),
  name: z.string({ error: 'must be a string' }),
});

const authenticateRequest = z.object({
  email: z.string({ error: 'must be a string' }),
  password: z.string({ error: 'must be a string' }),
});

const refreshTokenSchema = z
  .string({ error: 'must be a refresh token' })
  .min(1, 'must be a refresh token')
  .max(REFRESH_TOKEN_MAX_LENGTH, `must be at most ${REFRESH_TOKEN_MAX_LENGTH} characters`);

const refreshRequest = z.object({ refreshToken: refreshTokenSchema });

const getUserRequest = authenticatedSchema.extend({ userId: entityIdSchema });

const listUsersRequest = authenticatedSchema.extend({
  limit: pageLimitSchema.optional(),
  cursor: cursorSchema.optional(),
});

const updateProfileRequest = authenticatedSchema.extend({
  userId: entityIdSchema,
  name: z.string({ error: 'must be a string' }).optional(),
  email: z.string({ error: 'must be a string' }).optional(),
});

/** A user as every API shows it: never the password hash. */
const userResponse = z.object({
  id: entityIdSchema,
  email: z.string(),
  name: z.string(),
  role: z.enum(Roles),
  creditLimitCents: z.int().min(0),
  creditReservedCents: z.int().min(0),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});

/** What a successful log-in or refresh answers: the user and a new opaque refresh token. */
const sessionResponse = z.object({
  user: userResponse,
  refreshToken: z.string(),
  refreshTokenExpiresAt: instantSchema,
});

const userListResponse = z.object({
  items: z.array(userResponse),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});

/** Logging out answers nothing but success: an empty message. */
const loggedOutResponse = z.object({});

export const UsersRpc = {
  register: defineRpc({
    service: 'users',
    name: 'users.register',
    grpcMethod: 'Register',
    request: registerUserRequest,
    response: userResponse,
    idempotent: false,
  }),
  authenticate: defineRpc({
    service: 'users',
    name: 'users.authenticate',
    grpcMethod: 'Authenticate',
    request: authenticateRequest,
    response: sessionResponse,
    idempotent: false,
  }),
  refresh: defineRpc({
    service: 'users',
    name: 'users.refresh',
    grpcMethod: 'Refresh',
    request: refreshRequest,
    response: sessionResponse,
    idempotent: false,
  }),
  logout: defineRpc({
    service: 'users',
    name: 'users.logout',
    grpcMethod: 'Logout',
    request: refreshRequest,
    response: loggedOutResponse,
    idempotent: false,
  }),
  get: defineRpc({
    service: 'users',
    name: 'users.get',
    grpcMethod: 'GetUser',
    request: getUserRequest,
    response: userResponse,
    idempotent: true,
  }),
  list: defineRpc({
    service: 'users',
    name: 'users.list',
    grpcMethod: 'ListUsers',
    request: listUsersRequest,
    response: userListResponse,
    idempotent: true,
  }),
  updateProfile: defineRpc({
    service: 'users',
    name: 'users.update-profile',
    grpcMethod: 'UpdateProfile',
    request: updateProfileRequest,
    response: userResponse,
    idempotent: false,
  }),
} as const;

export type RegisterUserRequest = z.infer<typeof registerUserRequest>;
export type AuthenticateRequest = z.infer<typeof authenticateRequest>;
export type RefreshRequest = z.infer<typeof refreshRequest>;
export type GetUserRequest = z.infer<typeof getUserRequest>;
export type ListUsersRequest = z.infer<typeof listUsersRequest>;
export type UpdateProfileRequest = z.infer<typeof updateProfileRequest>;
export type UserResponse = z.infer<typeof userResponse>;
export type SessionResponse = z.infer<typeof sessionResponse>;
export type UserListResponse = z.infer<typeof userListResponse>;
export type LoggedOutResponse = z.infer<typeof loggedOutResponse>;
