// Write baseline, back: places an order in ONE transaction (order, lines, idempotency key,
// outbox row), answers, and wakes the outbox relay.
import { randomUUID } from 'node:crypto';
import { createPool, inTransaction } from './db.mjs';
import { startOutboxRelay } from './outbox-relay.mjs';
import { connectBroker, serveRpc } from './rpc.mjs';
import { onStop } from './stop.mjs';

const pool = createPool();
const connection = await connectBroker();
const relay = await startOutboxRelay(pool, connection, process.env.BASELINE_EXCHANGE);

class KeyReplayed extends Error {}

async function placeOrder({ userId, key, currency, items }) {
  const id = randomUUID();
  const totalCents = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  try {
    await inTransaction(pool, async (client) => {
      await client.query(
        `INSERT INTO orders (id, user_id, status, currency, total_cents, created_at, updated_at)
         VALUES ($1, $2, 'PENDING', $3, $4, now(), now())`,
        [id, userId, currency, totalCents],
      );
      const values = items.flatMap((item, i) => [id, i + 1, item.sku, item.quantity, item.unitPriceCents]);
      const rows = items.map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5})`);
      await client.query(
        `INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price_cents) VALUES ${rows.join(', ')}`,
        values,
      );
      const claimed = await client.query(
        'INSERT INTO idempotency_keys (user_id, key, order_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [userId, key, id],
      );
      if (claimed.rowCount === 0) throw new KeyReplayed();
      await client.query('INSERT INTO outbox (message_id, routing_key, payload) VALUES ($1, $2, $3)', [
        randomUUID(),
        'orders.order-placed',
        { orderId: id, userId, totalCents },
      ]);
    });
  } catch (error) {
    if (!(error instanceof KeyReplayed)) throw error;
    const { rows } = await pool.query(
      `SELECT o.id, o.status, o.currency, o.total_cents AS "totalCents"
         FROM idempotency_keys k JOIN orders o ON o.id = k.order_id WHERE k.user_id = $1 AND k.key = $2`,
      [userId, key],
    );
    return { status: 200, order: rows[0] };
  }
  relay.wake();
  return { status: 201, order: { id, status: 'PENDING', currency, totalCents } };
}

await serveRpc(connection, process.env.BASELINE_RPC_QUEUE, placeOrder);

onStop(async () => {
  relay.stop();
  await connection.close();
  await pool.end();
});
