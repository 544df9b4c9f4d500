import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableV1 } from '@app/messaging';

export class CreateOrdersOutbox1764100000003 implements MigrationInterface {
  name = 'CreateOrdersOutbox1764100000003';

  async up(runner: QueryRunner): Promise<void> {
    await createOutboxTableV1(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE outbox');
  }
}
