import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutbox1764000000001 implements MigrationInterface {
  name = 'CreateOutbox1764000000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox (
        id uuid PRIMARY KEY,
        type text NOT NULL,
        routing_key text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        published_at timestamptz
      )`);
    await runner.query('CREATE INDEX outbox_unpublished_idx ON outbox (occurred_at) WHERE published_at IS NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE outbox');
  }
}
