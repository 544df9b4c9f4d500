import { Roles, type Actor } from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The payload as an object, whatever arrived on the bus. */
export function asRecord(payload: unknown): Record<string, unknown> {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : {};
}

export function parseActor(value: unknown): Actor {
  const { id, role } = asRecord(value);
  if (typeof id !== 'string' || !UUID.test(id) || !(Roles as readonly unknown[]).includes(role)) {
    throw new ValidationFailedError('actor must be { id: uuid, role: "user" | "admin" }');
  }
  return { id, role: role as Actor['role'] };
}

export function parseUuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw new ValidationFailedError(`${field} must be a UUID`, { fields: [{ field, message: 'must be a UUID' }] });
  }
  return value.toLowerCase();
}

export function parseLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
    throw new ValidationFailedError(`limit must be an integer from 1 to ${max}`, {
      fields: [{ field: 'limit', message: `must be an integer from 1 to ${max}` }],
    });
  }
  return value as number;
}

export function parseCursor(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 200) {
    throw new ValidationFailedError('cursor is invalid', { fields: [{ field: 'cursor', message: 'is invalid' }] });
  }
  return value;
}
