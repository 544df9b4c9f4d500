import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764000000000 implements MigrationInterface {
  name = 'CreateUsers1764000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        name text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL,
        credit_limit_cents bigint NOT NULL,
        credit_reserved_cents bigint NOT NULL DEFAULT 0,
        version integer NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT users_role_ck CHECK (role IN ('user', 'admin')),
        CONSTRAINT users_credit_ck CHECK (credit_reserved_cents >= 0 AND credit_reserved_cents <= credit_limit_cents)
      )`);
    await runner.query('CREATE UNIQUE INDEX users_email_lower_uq ON users (lower(email))');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE users');
  }
}
