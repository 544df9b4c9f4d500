// Read baseline, front: GET /users/:id → RPC to read-back → the row as JSON (404 when absent).
// No auth, validation or logging per request: the lower bound the real gateway is measured against.
import { sendJson, serve } from './http.mjs';
import { connectBroker, rpcClient } from './rpc.mjs';
import { onStop } from './stop.mjs';

const connection = await connectBroker();
const call = await rpcClient(connection, process.env.BASELINE_RPC_QUEUE);
const USER_PATH = /^\/users\/([0-9a-f-]{36})$/;

const server = serve(async (request, response) => {
  const match = request.method === 'GET' && USER_PATH.exec(request.url);
  if (!match) return sendJson(response, 404, { error: 'not found' });
  const user = await call({ id: match[1] });
  sendJson(response, user ? 200 : 404, user ?? { error: 'not found' });
});

onStop(async () => {
  server.close();
  await connection.close();
});
