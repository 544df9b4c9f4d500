import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per order the users service has decided: its credit reserved, released or rejected. */
@Entity('credit_reservations')
@Index('credit_reservations_user_idx', ['userId'])
@Check('credit_reservations_status_ck', `status IN ('RESERVED', 'RELEASED', 'REJECTED')`)
@Check('credit_reservations_amount_ck', 'amount_cents >= 0')
export class CreditReservationOrmEntity {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId!: string;

  @Column('uuid', { name: 'user_id' })
  userId!: string;

  @Column('bigint', { name: 'amount_cents' })
  amountCents!: string;

  @Column('text')
  status!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
