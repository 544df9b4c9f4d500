import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrderViews1764100000001 implements MigrationInterface {
  name = 'CreateOrderViews1764100000001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE order_views (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        status text NOT NULL,
        items jsonb NOT NULL,
        total_cents bigint NOT NULL,
        currency char(3) NOT NULL,
        rejection_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE INDEX order_views_user_idx ON order_views (user_id, created_at, id)');
    await runner.query('CREATE INDEX order_views_user_status_idx ON order_views (user_id, status, created_at, id)');
    await runner.query(`
      CREATE TABLE user_order_stats (
        user_id uuid PRIMARY KEY,
        placed integer NOT NULL DEFAULT 0,
        confirmed integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        cancelled integer NOT NULL DEFAULT 0,
        confirmed_total_cents bigint NOT NULL DEFAULT 0
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE user_order_stats');
    await runner.query('DROP TABLE order_views');
  }
}
