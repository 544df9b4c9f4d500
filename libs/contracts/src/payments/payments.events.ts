import { z } from 'zod';
import { defineEvent } from '../events/integration-event.js';
import { centsSchema, currencySchema, uuidSchema } from '../events/money.schema.js';

/** Why the provider refused a charge (the order itself is rejected with `PAYMENT_DECLINED`). */
export const PaymentDeclineReasons = ['AMOUNT_OVER_LIMIT', 'CUSTOMER_LIMIT_EXCEEDED', 'CARD_DECLINED'] as const;
export type PaymentDeclineReason = (typeof PaymentDeclineReasons)[number];

const paymentCapturedV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  paymentId: uuidSchema,
  amountCents: centsSchema,
  currency: currencySchema,
});

const paymentDeclinedV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  paymentId: uuidSchema,
  reason: z.enum(PaymentDeclineReasons),
});

const paymentRefundedV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  paymentId: uuidSchema,
  amountCents: centsSchema,
  currency: currencySchema,
});

/** The order ended before any charge was kept: nothing was taken, nothing is owed back. */
const paymentVoidedV1 = z.object({
  orderId: uuidSchema,
  userId: uuidSchema,
  paymentId: uuidSchema,
});

export const PaymentsEvents = {
  paymentCaptured: defineEvent('payments', 'PaymentCaptured', 1, paymentCapturedV1),
  paymentDeclined: defineEvent('payments', 'PaymentDeclined', 1, paymentDeclinedV1),
  paymentRefunded: defineEvent('payments', 'PaymentRefunded', 1, paymentRefundedV1),
  paymentVoided: defineEvent('payments', 'PaymentVoided', 1, paymentVoidedV1),
};

export type PaymentCapturedV1 = z.infer<typeof paymentCapturedV1>;
export type PaymentDeclinedV1 = z.infer<typeof paymentDeclinedV1>;
export type PaymentRefundedV1 = z.infer<typeof paymentRefundedV1>;
export type PaymentVoidedV1 = z.infer<typeof paymentVoidedV1>;
