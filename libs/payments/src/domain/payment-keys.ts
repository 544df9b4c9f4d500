/**
 * The provider's idempotency keys of an order's payment, derived from the order id alone: one
 * order can only ever be charged (and refunded) once, whatever happens to our own rows.
 */
export function captureKeyOf(orderId: string): string {
  return `capture:${orderId}`;
}

export function refundKeyOf(orderId: string): string {
  return `refund:${orderId}`;
}
