import type { QueryRunner } from 'typeorm';

/** Any constant: serialises two replicas creating the provider's tables at once. */
const SCHEMA_LOCK = 7_202_611;

/**
 * The simulated provider's own state, in a schema of the payments database that is "not ours":
 * it is created by the adapter when first used, never by our migrations. One ledger row per
 * idempotency key (a charge, or a refund of a capture key); declines are remembered apart so the
 * same key answers the same, though a decline charges nothing.
 */
export async function ensureProviderLedger(runner: QueryRunner): Promise<void> {
  await runner.startTransaction();
  try {
    await runner.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await runner.query('CREATE SCHEMA IF NOT EXISTS payment_provider');
    await runner.query(`
      CREATE TABLE IF NOT EXISTS payment_provider.ledger (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('charge', 'refund')),
        idempotency_key text NOT NULL UNIQUE,
        capture_key text NOT NULL,
        customer_id text NOT NULL,
        order_reference text NOT NULL,
        amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
        currency char(3) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query('CREATE INDEX IF NOT EXISTS ledger_customer_idx ON payment_provider.ledger (customer_id)');
    await runner.query('CREATE INDEX IF NOT EXISTS ledger_capture_key_idx ON payment_provider.ledger (capture_key)');
    await runner.query(`
      CREATE TABLE IF NOT EXISTS payment_provider.declines (
        idempotency_key text PRIMARY KEY,
        reason text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.commitTransaction();
  } catch (error) {
    await runner.rollbackTransaction();
    throw error;
  }
}
