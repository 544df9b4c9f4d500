// Read baseline, front: GET /users/:id → RPC to read-back (over RabbitMQ, or gRPC when
// BASELINE_RPC=grpc) → the row as JSON (404 when absent). No auth, validation or logging per
// request: the lower bound the real gateway is measured against.
import { grpcClient } from './grpc.mjs';
import { sendJson, serve } from './http.mjs';
import { connectBroker, rpcClient } from './rpc.mjs';
import { onStop } from './stop.mjs';

const overGrpc = process.env.BASELINE_RPC === 'grpc';
const connection = overGrpc ? null : await connectBroker();
const grpc = overGrpc ? grpcClient(Number(process.env.BASELINE_GRPC_PORT)) : null;
const call = grpc ? grpc.getUser : await rpcClient(connection, process.env.BASELINE_RPC_QUEUE);
const USER_PATH = /^\/users\/([0-9a-f-]{36})$/;

const server = serve(async (request, response) => {
  const match = request.method === 'GET' && USER_PATH.exec(request.url);
  if (!match) return sendJson(response, 404, { error: 'not found' });
  const user = await call({ id: match[1] });
  sendJson(response, user ? 200 : 404, user ?? { error: 'not found' });
});

onStop(async () => {
  server.close();
  grpc?.close();
  await connection?.close();
});
