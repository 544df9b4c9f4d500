// The write baseline's outbox relay: publishes committed outbox rows to the topic exchange with
// publisher confirms, and marks them published only once the broker has confirmed them. Woken
// right after each commit; the poll catches whatever a wake-up missed (a crash, an error).
import { inTransaction } from './db.mjs';

const BATCH = 200;
const POLL_MS = 1000;

export async function startOutboxRelay(pool, connection, exchange) {
  const channel = await connection.createConfirmChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });

  // SKIP LOCKED lets a second relay (another replica) take the next rows instead of waiting.
  const publishBatch = () =>
    inTransaction(pool, async (client) => {
      const { rows } = await client.query(
        `SELECT id, message_id, routing_key, payload FROM outbox
          WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      for (const row of rows) {
        channel.publish(exchange, row.routing_key, Buffer.from(JSON.stringify(row.payload)), {
          persistent: true,
          messageId: row.message_id,
          contentType: 'application/json',
        });
      }
      await channel.waitForConfirms();
      await client.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1)', [rows.map((row) => row.id)]);
      return rows.length;
    });

  // One loop at a time; wake-ups during a batch make it run once more, so commits coalesce into batches.
  let running = false;
  let again = false;
  async function wake() {
    again = true;
    if (running) return;
    running = true;
    try {
      while (again) {
        again = false;
        if ((await publishBatch()) === BATCH) again = true;
      }
    } catch (error) {
      console.error('outbox relay:', error);
    } finally {
      running = false;
    }
  }
  const poll = setInterval(wake, POLL_MS);
  return { wake, stop: () => clearInterval(poll) };
}
