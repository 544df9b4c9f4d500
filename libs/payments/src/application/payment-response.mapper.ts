import type { PaymentResponse } from '@app/contracts';
import type { Payment } from '../domain/index.js';

/** The API's view of a payment; lists its fields explicitly. */
export function toPaymentResponse(payment: Payment): PaymentResponse {
  return {
    id: payment.id,
    orderId: payment.orderId,
    userId: payment.userId,
    status: payment.status,
    amountCents: payment.amountCents,
    currency: payment.currency,
    capturedCents: payment.capturedCents,
    refundedCents: payment.refundedCents,
    declineReason: payment.declineReason,
    providerChargeId: payment.providerChargeId,
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}
