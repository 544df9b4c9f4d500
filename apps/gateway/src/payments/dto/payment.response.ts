import { ApiProperty } from '@nestjs/swagger';
import {
  PaymentDeclineReasons,
  PaymentStatuses,
  type PaymentDeclineReason,
  type PaymentResponse,
  type PaymentStatusValue,
} from '@app/contracts';

export class PaymentView implements PaymentResponse {
  /** @example 0c4b7f2a-5e1d-4f8a-9b3c-6d2e1a7f9c40 */
  id!: string;
  /** @example 6f9c1e52-3c1d-4f7a-9a0e-8d2b5e4c7a10 */
  orderId!: string;
  /** @example 2e40b518-f03e-4c0a-92bb-d8654068a825 */
  userId!: string;
  @ApiProperty({
    enum: PaymentStatuses,
    example: 'CAPTURED',
    description:
      'PENDING (capture asked of the provider, no final answer yet), CAPTURED, DECLINED (nothing charged), ' +
      'VOIDED (the order ended before a charge), REFUND_PENDING (charged, refund under way), REFUNDED',
  })
  status!: PaymentStatusValue;
  /**
   * The order's total, in cents.
   * @example 3998
   */
  amountCents!: number;
  /**
   * ISO 4217, e.g. EUR.
   * @example EUR
   */
  currency!: string;
  /**
   * What the provider has charged for this order so far, in cents.
   * @example 3998
   */
  capturedCents!: number;
  /**
   * What the provider has given back for this order so far, in cents.
   * @example 0
   */
  refundedCents!: number;
  // Said with the decorator: the CLI plugin reads `@example null` as no example at all.
  @ApiProperty({
    enum: PaymentDeclineReasons,
    nullable: true,
    example: null,
    description: 'Why the provider refused the charge, when DECLINED.',
  })
  declineReason!: PaymentDeclineReason | null;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'ch_6f9c1e523c1d',
    description: "The provider's id of the charge, once captured.",
  })
  providerChargeId!: string | null;
  /** @example 2026-12-04T09:12:44.150Z */
  createdAt!: string;
  /** @example 2026-12-04T09:12:44.175Z */
  updatedAt!: string;
}
