// Read baseline, back: serves the RPC queue with one primary-key SELECT through a pg pool.
import { createPool } from './db.mjs';
import { connectBroker, serveRpc } from './rpc.mjs';
import { onStop } from './stop.mjs';

const pool = createPool();
const connection = await connectBroker();

await serveRpc(connection, process.env.BASELINE_RPC_QUEUE, async ({ id }) => {
  const { rows } = await pool.query('SELECT id, email, name, created_at FROM users WHERE id = $1', [id]);
  return rows[0] ?? null;
});

onStop(async () => {
  await connection.close();
  await pool.end();
});
