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
