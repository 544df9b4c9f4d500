import type { MigrationInterface, QueryRunner } from 'typeorm';
import { addOutboxParkingV2, indexInboxByAgeV2 } from '@app/messaging';

/** Outbox rows the broker could not route are parked, not lost; the inbox is purged by age. */
export class PaymentsParkUnroutableEventsAndAgeInbox1764200000004 implements MigrationInterface {
  name = 'PaymentsParkUnroutableEventsAndAgeInbox1764200000004';

  async up(runner: QueryRunner): Promise<void> {
    await addOutboxParkingV2(runner);
    await indexInboxByAgeV2(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX inbox_processed_at_idx');
    await runner.query('ALTER TABLE outbox DROP COLUMN parked_at');
  }
}
