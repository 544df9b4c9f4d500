import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATS_OF_ORDER_VIEWS = `
  SELECT user_id,
         count(*)::int AS placed,
         (count(*) FILTER (WHERE status = 'CONFIRMED'))::int AS confirmed,
         (count(*) FILTER (WHERE status = 'REJECTED'))::int AS rejected,
         (count(*) FILTER (WHERE status = 'CANCELLED'))::int AS cancelled,
         coalesce(sum(total_cents) FILTER (WHERE status = 'CONFIRMED'), 0)::bigint AS confirmed_total_cents
    FROM order_views
   GROUP BY user_id`;

/**
 * Per-user order counts become a view over `order_views` instead of a table every placing
 * transaction upserted: that row serialised one account's concurrent orders and cost a
 * statement per order change, for counters nothing reads on a hot path. Same name and columns,
 * computed on read through order_views_user_status_idx.
 */
export class DeriveUserOrderStatsFromViews1764100000006 implements MigrationInterface {
  name = 'DeriveUserOrderStatsFromViews1764100000006';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE user_order_stats');
    await runner.query(`CREATE VIEW user_order_stats AS ${STATS_OF_ORDER_VIEWS}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP VIEW user_order_stats');
    await runner.query(`
      CREATE TABLE user_order_stats (
        user_id uuid PRIMARY KEY,
        placed integer NOT NULL DEFAULT 0,
        confirmed integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        cancelled integer NOT NULL DEFAULT 0,
        confirmed_total_cents bigint NOT NULL DEFAULT 0
      )`);
    await runner.query(`INSERT INTO user_order_stats ${STATS_OF_ORDER_VIEWS}`);
  }
}
