import type { UserResponse } from '@app/contracts';
import { Email, Name, PasswordHash, User, type UserRole } from '../domain/index.js';

/** A `users` row as `pg` returns it (bigint arrives as a string). */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: UserRole;
  credit_limit_cents: string;
  credit_reserved_cents: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const USER_COLUMNS =
  'id, email, name, password_hash, role, credit_limit_cents, credit_reserved_cents, version, created_at, updated_at';

export function toUser(row: UserRow): User {
  return User.restore(row.id, row.version, {
    email: Email.create(row.email),
    name: Name.create(row.name),
    passwordHash: PasswordHash.fromHash(row.password_hash),
    role: row.role,
    creditLimitCents: toCents(row.credit_limit_cents),
    creditReservedCents: toCents(row.credit_reserved_cents),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

export function toUserResponseFromRow(row: UserRow): UserResponse {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    creditLimitCents: toCents(row.credit_limit_cents),
    creditReservedCents: toCents(row.credit_reserved_cents),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** bigint cents to number; the schema caps amounts far below 2^53, so this never rounds. */
function toCents(value: string): number {
  const cents = Number(value);
  if (!Number.isSafeInteger(cents)) throw new Error(`amount out of range: ${value}`);
  return cents;
}
