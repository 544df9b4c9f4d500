import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePayments1764200000000 implements MigrationInterface {
  name = 'CreatePayments1764200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE payments (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL,
        user_id uuid NOT NULL,
        amount_cents bigint NOT NULL,
        currency char(3) NOT NULL,
        status text NOT NULL,
        provider_charge_id text,
        decline_reason text,
        attempts integer NOT NULL,
        next_attempt_at timestamptz,
        lease_until timestamptz,
        captured_cents bigint NOT NULL,
        refunded_cents bigint NOT NULL,
        origin jsonb,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT payments_order_uq UNIQUE (order_id),
        CONSTRAINT payments_status_ck
          CHECK (status IN ('PENDING', 'CAPTURED', 'DECLINED', 'VOIDED', 'REFUND_PENDING', 'REFUNDED')),
        CONSTRAINT payments_amounts_ck CHECK (amount_cents >= 0 AND captured_cents >= 0 AND refunded_cents >= 0)
      )`);
    await runner.query('CREATE INDEX payments_due_idx ON payments (next_attempt_at) WHERE next_attempt_at IS NOT NULL');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE payments');
  }
}
