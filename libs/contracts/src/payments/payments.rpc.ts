import { z } from 'zod';
import { centsSchema, currencySchema } from '../events/money.schema.js';
import { defineRpc } from '../rpc/define-rpc.js';
import { authenticatedSchema, entityIdSchema, instantSchema } from '../rpc/wire-rules.js';
import { PaymentDeclineReasons } from './payments.events.js';

export const PaymentsErrorCodes = {
  paymentNotFound: 'PAYMENT_NOT_FOUND',
} as const;

/**
 * A payment's life: PENDING (capture asked of the provider, no final answer yet), CAPTURED,
 * DECLINED (final, nothing charged), VOIDED (the order ended before a charge: none will be
 * kept), REFUND_PENDING (charged, the refund is being asked for), REFUNDED (final).
 */
export const PaymentStatuses = ['PENDING', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUND_PENDING', 'REFUNDED'] as const;
export type PaymentStatusValue = (typeof PaymentStatuses)[number];

const paymentByOrderRequest = authenticatedSchema.extend({ orderId: entityIdSchema });

/** A payment as every API shows it: one per order. */
const paymentResponse = z.object({
  id: entityIdSchema,
  orderId: entityIdSchema,
  userId: entityIdSchema,
  status: z.enum(PaymentStatuses),
  amountCents: centsSchema,
  currency: currencySchema,
  /** What the provider's ledger holds for this order: captured and refunded so far. */
  capturedCents: centsSchema,
  refundedCents: centsSchema,
  declineReason: z.enum(PaymentDeclineReasons).nullable(),
  /** The provider's id of the charge, once captured. */
  providerChargeId: z.string().nullable(),
  createdAt: instantSchema,
  updatedAt: instantSchema,
});

export const PaymentsRpc = {
  getByOrder: defineRpc({
    service: 'payments',
    name: 'payments.get-by-order',
    grpcMethod: 'GetPaymentByOrder',
    request: paymentByOrderRequest,
    response: paymentResponse,
    idempotent: true,
  }),
} as const;

export type GetPaymentByOrderRequest = z.infer<typeof paymentByOrderRequest>;
export type PaymentResponse = z.infer<typeof paymentResponse>;
