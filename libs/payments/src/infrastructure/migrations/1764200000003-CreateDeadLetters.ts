import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createDeadLettersTableV1 } from '@app/messaging';

/** Where the modular monolith keeps the events this context gave up on (unused over RabbitMQ, which has a DLQ). */
export class CreatePaymentsDeadLetters1764200000003 implements MigrationInterface {
  name = 'CreatePaymentsDeadLetters1764200000003';

  async up(runner: QueryRunner): Promise<void> {
    await createDeadLettersTableV1(runner);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE dead_letters');
  }
}
