import type { QueryRunner } from 'typeorm';

/*
 * The outbox and inbox tables every service's database holds, as the services' migrations
 * create them. Frozen once landed: a change is a new function (V2) and a new migration in
 * each context, never an edit here, or old migrations would change under existing databases.
 */

export async function createOutboxTableV1(runner: QueryRunner): Promise<void> {
  await runner.query(`
    CREATE TABLE outbox (
      id uuid PRIMARY KEY,
      position bigint GENERATED ALWAYS AS IDENTITY,
      type text NOT NULL,
      routing_key text NOT NULL,
      payload jsonb NOT NULL,
      headers jsonb NOT NULL,
      occurred_at timestamptz NOT NULL,
      published_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz,
      last_error text
    )`);
  await runner.query('CREATE INDEX outbox_unpublished_idx ON outbox (position) WHERE published_at IS NULL');
}

export async function createInboxTableV1(runner: QueryRunner): Promise<void> {
  await runner.query(`
    CREATE TABLE inbox (
      message_id uuid NOT NULL,
      consumer text NOT NULL,
      processed_at timestamptz NOT NULL,
      PRIMARY KEY (message_id, consumer)
    )`);
}

/**
 * Events a consumer gave up on in the modular monolith (its `<queue>.dlq` over RabbitMQ): kept
 * with the reason and the attempts, for someone to look at and replay.
 */
export async function createDeadLettersTableV1(runner: QueryRunner): Promise<void> {
  await runner.query(`
    CREATE TABLE dead_letters (
      message_id text NOT NULL,
      consumer text NOT NULL,
      routing_key text NOT NULL,
      body text NOT NULL,
      headers jsonb NOT NULL,
      reason text NOT NULL,
      attempts integer NOT NULL,
      failed_at timestamptz NOT NULL,
      PRIMARY KEY (message_id, consumer)
    )`);
}

/**
 * Rows no queue took (published with `mandatory` and returned by the broker) are parked:
 * kept unpublished, out of the relay's way, until an operator replays them.
 */
export async function addOutboxParkingV2(runner: QueryRunner): Promise<void> {
  await runner.query('ALTER TABLE outbox ADD COLUMN parked_at timestamptz');
}

/** The inbox is purged by age (a duplicate cannot arrive after the producer's outbox retention). */
export async function indexInboxByAgeV2(runner: QueryRunner): Promise<void> {
  await runner.query('CREATE INDEX inbox_processed_at_idx ON inbox (processed_at)');
}
