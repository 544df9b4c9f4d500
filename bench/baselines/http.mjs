// The fronts' HTTP plumbing: JSON answers and a body reader, over node:http with keep-alive.
import { createServer } from 'node:http';

export function sendJson(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString() || 'null');
}

/** Listens on 127.0.0.1:$BASELINE_PORT; a handler's throw answers 500, an RPC timeout 504. */
export function serve(handler) {
  const server = createServer({ keepAlive: true }, (request, response) => {
    handler(request, response).catch((error) => {
      if (error.message !== 'rpc timeout') console.error(error);
      if (!response.headersSent) sendJson(response, error.message === 'rpc timeout' ? 504 : 500, { error: 'failed' });
    });
  });
  // Node's default (5 s) closes a connection idle for a moment; a load generator's should stay open.
  server.keepAliveTimeout = 60_000;
  server.listen(Number(process.env.BASELINE_PORT), '127.0.0.1');
  return server;
}
