import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateInbox1764000000002 implements MigrationInterface {
  name = 'CreateInbox1764000000002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE inbox (
        message_id uuid NOT NULL,
        consumer text NOT NULL,
        processed_at timestamptz NOT NULL,
        PRIMARY KEY (message_id, consumer)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE inbox');
  }
}
