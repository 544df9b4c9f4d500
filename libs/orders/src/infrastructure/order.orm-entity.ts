import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The `orders` table: the write side of the Order aggregate. */
@Entity('orders')
@Index('orders_pending_idx', ['createdAt'], { where: `status = 'PENDING'` })
@Check('orders_status_ck', `status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED')`)
@Check('orders_total_ck', 'total_cents >= 0')
@Check(
  'orders_payment_status_ck',
  `payment_status IN ('NOT_REQUESTED', 'REQUESTED', 'CAPTURED', 'DECLINED', 'REFUNDED')`,
)
export class OrderOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  status!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('bigint', { name: 'total_cents' })
  totalCents!: string;

  @Column('text', { name: 'rejection_reason', nullable: true })
  rejectionReason!: string | null;

  @Column('text', { name: 'payment_status', default: 'NOT_REQUESTED' })
  paymentStatus!: string;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
