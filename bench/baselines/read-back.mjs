// Read baseline, back: one primary-key SELECT through a pg pool, served on the RPC queue (or over
// gRPC when BASELINE_RPC=grpc).
import { createPool } from './db.mjs';
import { serveGrpc } from './grpc.mjs';
import { connectBroker, serveRpc } from './rpc.mjs';
import { onStop } from './stop.mjs';

const pool = createPool();
const overGrpc = process.env.BASELINE_RPC === 'grpc';
const connection = overGrpc ? null : await connectBroker();

async function getUser({ id }) {
  const { rows } = await pool.query('SELECT id, email, name, created_at FROM users WHERE id = $1', [id]);
  const row = rows[0];
  if (!row) return null;
  // gRPC carries strings: the timestamp as the JSON reply of the RabbitMQ path shows it.
  return overGrpc ? { ...row, created_at: row.created_at.toISOString() } : row;
}

const server = overGrpc
  ? await serveGrpc(Number(process.env.BASELINE_GRPC_PORT), getUser)
  : await serveRpc(connection, process.env.BASELINE_RPC_QUEUE, getUser);

onStop(async () => {
  if (overGrpc) await new Promise((resolve) => server.tryShutdown(resolve));
  await connection?.close();
  await pool.end();
});
