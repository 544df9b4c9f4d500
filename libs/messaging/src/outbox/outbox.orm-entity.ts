import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Integration events waiting to be published, written in the same transaction as the
 * aggregate that raised them. Each service has this table in its own database.
 */
@Entity('outbox')
@Index('outbox_unpublished_idx', ['position'], { where: 'published_at IS NULL' })
export class OutboxOrmEntity {
  @PrimaryColumn('uuid')
  id!: string;

  /** Insertion order within this database (an aggregate's events in the order they happened); the relay publishes in this order. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  position!: string;

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

  /** Failed publish attempts; the relay backs off exponentially. */
  @Column('integer', { default: 0 })
  attempts!: number;

  @Column('timestamptz', { name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  /** Set when no queue took the event: the relay leaves it until an operator replays it. */
  @Column('timestamptz', { name: 'parked_at', nullable: true })
  parkedAt!: Date | null;
}
