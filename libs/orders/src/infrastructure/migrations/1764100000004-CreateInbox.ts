import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createInboxTableV1 } from '@app/messaging';

export class CreateOrdersInbox1764100000004 implements MigrationInterface {
  name = 'CreateOrdersInbox1764100000004';

  async up(runner: QueryRunner): Promise<void> {
    await createInboxTableV1(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE inbox');
  }
}
