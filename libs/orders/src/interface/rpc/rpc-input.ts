import {
  ORDERS_PAGE_DEFAULT,
  ORDERS_PAGE_MAX,
  OrderStatuses,
  Roles,
  type Actor,
  type OrderStatusValue,
} from '@app/contracts';
import { ValidationFailedError } from '@app/ddd';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,128}$/;

/** The payload as an object, whatever arrived on the bus. */
export function asRecord(payload: unknown): Record<string, unknown> {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : {};
}

function invalid(field: string, message: string): ValidationFailedError {
  return new ValidationFailedError(`${field} ${message}`, { fields: [{ field, message }] });
}

export function parseActor(value: unknown): Actor {
  const { id, role } = asRecord(value);
  if (typeof id !== 'string' || !UUID.test(id) || !(Roles as readonly unknown[]).includes(role)) {
    throw new ValidationFailedError('actor must be { id: uuid, role: "user" | "admin" }');
  }
  return { id: id.toLowerCase(), role: role as Actor['role'] };
}

export function parseUuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalid(field, 'must be a UUID');
  return value.toLowerCase();
}

export function parseIdempotencyKey(value: unknown): string {
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw invalid('idempotencyKey', 'must be 1 to 128 visible ASCII characters');
  }
  return value;
}

export function parseStatus(value: unknown): OrderStatusValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(OrderStatuses as readonly unknown[]).includes(value)) {
    throw invalid('status', `must be one of ${OrderStatuses.join(', ')}`);
  }
  return value as OrderStatusValue;
}

export function parseLimit(value: unknown): number {
  if (value === undefined || value === null) return ORDERS_PAGE_DEFAULT;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > ORDERS_PAGE_MAX) {
    throw invalid('limit', `must be an integer from 1 to ${ORDERS_PAGE_MAX}`);
  }
  return value as number;
}

export function parseCursor(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 200) throw invalid('cursor', 'is invalid');
  return value;
}
