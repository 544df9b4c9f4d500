import type { UserResponse } from '@app/contracts';
import type { User } from '../domain/index.js';

/** The API's view of a user; lists its fields so nothing (like the hash) leaks by accident. */
export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email.value,
    name: user.name.value,
    role: user.role,
    creditLimitCents: user.creditLimitCents,
    creditReservedCents: user.creditReservedCents,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
