import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The `order_views` read model: one row per order, as the API shows it. */
@Entity('order_views')
@Index('order_views_user_idx', ['userId', 'createdAt', 'id'])
@Index('order_views_user_status_idx', ['userId', 'status', 'createdAt', 'id'])
export class OrderViewOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('text')
  status!: string;

  @Column('jsonb')
  items!: unknown;

  @Column('bigint', { name: 'total_cents' })
  totalCents!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('text', { name: 'rejection_reason', nullable: true })
  rejectionReason!: string | null;

  @Column('text', { name: 'payment_status', default: 'NOT_REQUESTED' })
  paymentStatus!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
