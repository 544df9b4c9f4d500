import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The `users` table. Kept apart from the domain class, which has no decorators. */
@Entity('users')
@Index('users_email_lower_uq', { synchronize: false }) // UNIQUE (lower(email)), see the migration
@Check('users_role_ck', `role IN ('user', 'admin')`)
@Check('users_credit_ck', 'credit_reserved_cents >= 0 AND credit_reserved_cents <= credit_limit_cents')
export class UserOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  email!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'password_hash' })
  passwordHash!: string;

  @Column('text')
  role!: string;

  @Column('bigint', { name: 'credit_limit_cents' })
  creditLimitCents!: string;

  @Column('bigint', { name: 'credit_reserved_cents', default: 0 })
  creditReservedCents!: string;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
