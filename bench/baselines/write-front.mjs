// Write baseline, front: POST /orders with an Idempotency-Key → RPC to write-back → 201 (200 for
// a replayed key). "Authorization: Bearer <user id>" stands in for a verified token.
import { readJson, sendJson, serve } from './http.mjs';
import { connectBroker, rpcClient } from './rpc.mjs';
import { onStop } from './stop.mjs';

const connection = await connectBroker();
const call = await rpcClient(connection, process.env.BASELINE_RPC_QUEUE);

const server = serve(async (request, response) => {
  if (request.method !== 'POST' || request.url !== '/orders') return sendJson(response, 404, { error: 'not found' });
  const userId = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  const key = request.headers['idempotency-key'];
  const body = await readJson(request);
  if (!userId || !key || !Array.isArray(body?.items) || body.items.length === 0) {
    return sendJson(response, 400, { error: 'user, Idempotency-Key and items are required' });
  }
  const reply = await call({ userId, key, currency: body.currency, items: body.items });
  if (reply.error) return sendJson(response, 500, reply);
  sendJson(response, reply.status, reply.order);
});

onStop(async () => {
  server.close();
  await connection.close();
});
