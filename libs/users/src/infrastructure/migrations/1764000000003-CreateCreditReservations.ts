import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCreditReservations1764000000003 implements MigrationInterface {
  name = 'CreateCreditReservations1764000000003';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE credit_reservations (
        order_id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        amount_cents bigint NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT credit_reservations_status_ck CHECK (status IN ('RESERVED', 'RELEASED', 'REJECTED')),
        CONSTRAINT credit_reservations_amount_ck CHECK (amount_cents >= 0)
      )`);
    await runner.query('CREATE INDEX credit_reservations_user_idx ON credit_reservations (user_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE credit_reservations');
  }
}
