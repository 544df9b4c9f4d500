import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRefreshTokens1764000000004 implements MigrationInterface {
  name = 'CreateRefreshTokens1764000000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await runner.query('CREATE UNIQUE INDEX refresh_tokens_hash_uq ON refresh_tokens (token_hash)');
    await runner.query('CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE refresh_tokens');
  }
}
