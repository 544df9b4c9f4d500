import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order's payment, on the write side and in the read model. Every order that exists when
 * this runs is NOT_REQUESTED, CONFIRMED ones included: they were settled by their credit
 * reservation alone, no payment was ever asked of the payments service and its provider holds no
 * charge for them. Calling them CAPTURED would claim a charge that does not exist, and a later
 * cancel (which releases the credit as before; payments, having no row for the order, keeps a
 * VOIDED tombstone and refunds nothing) would leave a CANCELLED order showing CAPTURED for ever.
 * A PENDING order asks for its payment when its credit answer comes, as a new one does.
 */
export class AddOrderPaymentStatus1764100000008 implements MigrationInterface {
  name = 'AddOrderPaymentStatus1764100000008';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE orders ADD COLUMN payment_status text NOT NULL DEFAULT 'NOT_REQUESTED'`);
    await runner.query(
      `ALTER TABLE orders ADD CONSTRAINT orders_payment_status_ck
         CHECK (payment_status IN ('NOT_REQUESTED', 'REQUESTED', 'CAPTURED', 'DECLINED', 'REFUNDED', 'VOIDED'))`,
    );
    await runner.query(`ALTER TABLE order_views ADD COLUMN payment_status text NOT NULL DEFAULT 'NOT_REQUESTED'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE order_views DROP COLUMN payment_status');
    await runner.query('ALTER TABLE orders DROP COLUMN payment_status');
  }
}
