import { OrderStatuses, type OrderStatusValue } from '@app/contracts';
import { invalidField } from '@app/messaging';

/** What only the orders RPCs carry; the common parts are in `@app/messaging`. */

const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,128}$/;

export function parseIdempotencyKey(value: unknown): string {
  if (typeof value !== 'string' || !IDEMPOTENCY_KEY.test(value)) {
    throw invalidField('idempotencyKey', 'must be 1 to 128 visible ASCII characters');
  }
  return value;
}

export function parseStatus(value: unknown): OrderStatusValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(OrderStatuses as readonly unknown[]).includes(value)) {
    throw invalidField('status', `must be one of ${OrderStatuses.join(', ')}`);
  }
  return value as OrderStatusValue;
}
