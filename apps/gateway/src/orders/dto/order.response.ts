import { ApiProperty } from '@nestjs/swagger';
import {
  OrderPaymentStatuses,
  type OrderItem,
  type OrderListResponse,
  type OrderPaymentStatusValue,
  type OrderResponse,
  type OrderStatusValue,
} from '@app/contracts';

export class OrderItemView implements OrderItem {
  /** @example BOOK-42 */
  sku!: string;
  /** @example 2 */
  quantity!: number;
  /** @example 1999 */
  unitPriceCents!: number;
}

export class OrderView implements OrderResponse {
  /** @example 6f9c1e52-3c1d-4f7a-9a0e-8d2b5e4c7a10 */
  id!: string;
  /** @example 2e40b518-f03e-4c0a-92bb-d8654068a825 */
  userId!: string;
  /** @example CONFIRMED */
  status!: OrderStatusValue;
  items!: OrderItemView[];
  /**
   * Sum of quantity × unitPriceCents, in cents.
   * @example 3998
   */
  totalCents!: number;
  /**
   * ISO 4217, e.g. EUR.
   * @example EUR
   */
  currency!: string;
  // Said with the decorator: the CLI plugin reads `@example null` as no example at all, and then
  // leaves out the doc comment too.
  @ApiProperty({
    type: String,
    nullable: true,
    example: null,
    description: 'Why it was REJECTED: INSUFFICIENT_CREDIT, USER_NOT_FOUND, PAYMENT_DECLINED or SAGA_TIMEOUT.',
  })
  rejectionReason!: string | null;
  @ApiProperty({
    enum: OrderPaymentStatuses,
    example: 'CAPTURED',
    description:
      'The payment as the order knows it: NOT_REQUESTED (credit not reserved yet, or never), REQUESTED, ' +
      'CAPTURED, DECLINED, REFUNDED. The payment itself: GET /orders/{id}/payment.',
  })
  paymentStatus!: OrderPaymentStatusValue;
  /** @example 2026-12-04T09:12:44.120Z */
  createdAt!: string;
  /** @example 2026-12-04T09:12:44.180Z */
  updatedAt!: string;
}

export class OrderPage implements OrderListResponse {
  items!: OrderView[];
  /**
   * Pass as `cursor` for the next (older) page; null on the last one.
   * @example MjAyNi0xMi0wNFQwOToxMjo0NC4xMjBafDZmOWMxZTUyLTNjMWQtNGY3YS05YTBlLThkMmI1ZTRjN2ExMA
   */
  nextCursor!: string | null;
}
