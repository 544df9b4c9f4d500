import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableV1 } from '@app/messaging';

export class CreatePaymentsOutbox1764200000001 implements MigrationInterface {
  name = 'CreatePaymentsOutbox1764200000001';

  async up(runner: QueryRunner): Promise<void> {
    await createOutboxTableV1(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE outbox');
  }
}
