import { z } from 'zod';
import { defineEvent } from '../events/integration-event.js';
import { centsSchema, currencySchema, uuidSchema } from '../events/money.schema.js';

const orderPlacedV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  totalCents: centsSchema,
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
};

export type OrderPlacedV1 = z.infer<typeof orderPlacedV1>;
export type OrderCancelledV1 = z.infer<typeof orderCancelledV1>;
