import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Per-user counters of the read model, updated with every order change. */
@Entity('user_order_stats')
export class UserOrderStatsOrmEntity {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column('integer', { default: 0 })
  placed!: number;

  @Column('integer', { default: 0 })
  confirmed!: number;

  @Column('integer', { default: 0 })
  rejected!: number;

  @Column('integer', { default: 0 })
  cancelled!: number;

  /** Sum of the totals of the user's orders that are CONFIRMED now. */
  @Column('bigint', { name: 'confirmed_total_cents', default: 0 })
  confirmedTotalCents!: string;
}
