import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createInboxTableV1 } from '@app/messaging';

export class CreatePaymentsInbox1764200000002 implements MigrationInterface {
  name = 'CreatePaymentsInbox1764200000002';

  async up(runner: QueryRunner): Promise<void> {
    await createInboxTableV1(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE inbox');
  }
}
