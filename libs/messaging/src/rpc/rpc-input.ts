import { ValidationFailedError } from '@app/ddd';

/*
 * Parsers for what every RPC payload carries. Payloads are untrusted (anyone on the bus can
 * publish), so each RPC controller checks them here before building a command or query. The
 * caller is never read from a payload field: see ActorVerifier.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function invalidField(field: string, message: string): ValidationFailedError {
  return new ValidationFailedError(`${field} ${message}`, { fields: [{ field, message }] });
}

/** The payload as an object, whatever arrived on the bus. */
export function asRecord(payload: unknown): Record<string, unknown> {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : {};
}

export function parseUuid(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw invalidField(field, 'must be a UUID');
  return value.toLowerCase();
}

/** A page size: absent means `fallback`; else an integer from 1 to `max`. */
export function parseLimit(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
    throw invalidField('limit', `must be an integer from 1 to ${max}`);
  }
  return value as number;
}

/** An opaque keyset cursor; absent or empty means the first page. */
export function parseCursor(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 200) throw invalidField('cursor', 'is invalid');
  return value;
}
