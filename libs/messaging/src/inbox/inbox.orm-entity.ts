import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Messages a consumer has handled; the key makes a second delivery a no-op. */
@Entity('inbox')
@Index('inbox_processed_at_idx', ['processedAt'])
export class InboxOrmEntity {
  @PrimaryColumn('uuid', { name: 'message_id' })
  messageId!: string;

  @PrimaryColumn('text')
  consumer!: string;

  @Column('timestamptz', { name: 'processed_at' })
  processedAt!: Date;
}
