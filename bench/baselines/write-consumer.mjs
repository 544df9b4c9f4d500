// Write baseline, consumer: takes order-placed events and, in one transaction, records the
// message in the inbox (a redelivery changes nothing) and confirms the order; acks after commit.
import { createPool, inTransaction } from './db.mjs';
import { connectBroker } from './rpc.mjs';
import { onStop } from './stop.mjs';

const { BASELINE_EXCHANGE: exchange, BASELINE_EVENTS_QUEUE: queue } = process.env;
const pool = createPool();
const connection = await connectBroker();
const channel = await connection.createChannel();
await channel.assertExchange(exchange, 'topic', { durable: true });
await channel.assertQueue(queue, { durable: true });
await channel.bindQueue(queue, exchange, 'orders.order-placed');
await channel.prefetch(100);

await channel.consume(queue, async (message) => {
  try {
    const { orderId } = JSON.parse(message.content.toString());
    await inTransaction(pool, async (client) => {
      const fresh = await client.query('INSERT INTO inbox (message_id) VALUES ($1) ON CONFLICT DO NOTHING', [
        message.properties.messageId,
      ]);
      if (fresh.rowCount === 0) return;
      await client.query(
        `UPDATE orders SET status = 'CONFIRMED', updated_at = clock_timestamp() WHERE id = $1 AND status = 'PENDING'`,
        [orderId],
      );
    });
    channel.ack(message);
  } catch (error) {
    console.error('consumer:', error);
    // Back on the queue after a pause, rather than a hot redelivery loop.
    setTimeout(() => channel.nack(message, false, true), 1000);
  }
});

onStop(async () => {
  await connection.close();
  await pool.end();
});
