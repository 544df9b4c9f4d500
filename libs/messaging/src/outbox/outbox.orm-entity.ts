import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Integration events waiting to be published, written in the same transaction as the
 * aggregate that raised them. Each service has this table in its own database.
 */
@Entity('outbox')
@Index('outbox_unpublished_idx', ['occurredAt'], { where: 'published_at IS NULL' })
export class OutboxOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  type!: string;

  @Column('text', { name: 'routing_key' })
  routingKey!: string;

  @Column('jsonb')
  payload!: unknown;

  @Column('jsonb')
  headers!: Record<string, unknown>;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt!: Date;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt!: Date | null;
}
