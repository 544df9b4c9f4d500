import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** The `payments` table: the write side of the Payment aggregate, one row per order. */
@Entity('payments')
@Unique('payments_order_uq', ['orderId'])
@Index('payments_due_idx', ['nextAttemptAt'], { where: 'next_attempt_at IS NOT NULL' })
@Check('payments_status_ck', `status IN ('PENDING', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUND_PENDING', 'REFUNDED')`)
@Check('payments_amounts_ck', 'amount_cents >= 0 AND captured_cents >= 0 AND refunded_cents >= 0')
export class PaymentOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'order_id' })
  orderId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('bigint', { name: 'amount_cents' })
  amountCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('text')
  status!: string;

  @Column('text', { name: 'provider_charge_id', nullable: true })
  providerChargeId!: string | null;

  @Column('text', { name: 'decline_reason', nullable: true })
  declineReason!: string | null;

  @Column('integer')
  attempts!: number;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  /** Until when a processor holds the payment (its provider call in flight). */
  @Column('timestamptz', { name: 'lease_until', nullable: true })
  leaseUntil!: Date | null;

  @Column('bigint', { name: 'captured_cents' })
  capturedCents!: string;

  @Column('bigint', { name: 'refunded_cents' })
  refundedCents!: string;

  /** The message that made the payment's provider work due, and its trace: the processor continues it. */
  @Column('jsonb', { nullable: true })
  origin!: Record<string, unknown> | null;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
