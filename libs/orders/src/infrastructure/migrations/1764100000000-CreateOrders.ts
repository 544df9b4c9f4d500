import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrders1764100000000 implements MigrationInterface {
  name = 'CreateOrders1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        status text NOT NULL,
        currency char(3) NOT NULL,
        total_cents bigint NOT NULL,
        rejection_reason text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT orders_status_ck CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED')),
        CONSTRAINT orders_total_ck CHECK (total_cents >= 0)
      )`);
    await runner.query(`CREATE INDEX orders_pending_idx ON orders (created_at) WHERE status = 'PENDING'`);
    await runner.query(`
      CREATE TABLE order_lines (
        order_id uuid NOT NULL,
        line_no integer NOT NULL,
        sku text NOT NULL,
        quantity integer NOT NULL,
        unit_price_cents bigint NOT NULL,
        PRIMARY KEY (order_id, line_no),
        CONSTRAINT order_lines_order_fk FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE order_lines');
    await runner.query('DROP TABLE orders');
  }
}
