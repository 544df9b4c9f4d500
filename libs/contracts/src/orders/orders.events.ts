import { z } from 'zod';
import { defineEvent } from '../events/integration-event.js';
import { centsSchema, currencySchema, uuidSchema } from '../events/money.schema.js';

const orderPlacedV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  totalCents: centsSchema,
  currency: currencySchema,
});

/** Credit is reserved: the orders saga asks payments to capture the order's total. */
const paymentRequestedV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  amountCents: centsSchema,
  currency: currencySchema,
});

const orderCancelledV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  reason: z.string().max(100),
});

export const OrdersEvents = {
  orderPlaced: defineEvent('orders', 'OrderPlaced', 1, orderPlacedV1),
  orderCancelled: defineEvent('orders', 'OrderCancelled', 1, orderCancelledV1),
  paymentRequested: defineEvent('orders', 'PaymentRequested', 1, paymentRequestedV1),
};

export type OrderPlacedV1 = z.infer<typeof orderPlacedV1>;
export type OrderCancelledV1 = z.infer<typeof orderCancelledV1>;
export type PaymentRequestedV1 = z.infer<typeof paymentRequestedV1>;
