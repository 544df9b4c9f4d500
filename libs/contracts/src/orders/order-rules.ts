/*
 * The bounds of an order, written once: the orders domain enforces them as invariants (they keep
 * every total an exact integer), the RPC schemas and the gateway's validation read them here.
 */

export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const SKU_RULE = 'must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" or "-"';

export const ORDER_ITEM_QUANTITY_MAX = 10_000;
export const QUANTITY_RULE = `must be a whole number from 1 to ${ORDER_ITEM_QUANTITY_MAX}`;

export const ORDER_ITEM_UNIT_PRICE_CENTS_MAX = 100_000_000;
export const UNIT_PRICE_RULE = `must be a whole number of cents from 1 to ${ORDER_ITEM_UNIT_PRICE_CENTS_MAX}`;

export const ORDER_ITEMS_MAX = 100;
export const ITEMS_RULE = `must have 1 to ${ORDER_ITEMS_MAX} lines`;

/** RFC 9110 visible ASCII (no spaces), as the IETF Idempotency-Key draft allows in the header. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,128}$/;
export const IDEMPOTENCY_KEY_RULE = 'must be 1 to 128 visible ASCII characters';
