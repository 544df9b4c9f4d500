// RPC over gRPC as a hand-written service would do it: one proto, @grpc/grpc-js, a deadline per
// call. The read baseline's front calls, its back serves, when BASELINE_RPC=grpc.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

const definition = protoLoader.loadSync(fileURLToPath(new URL('baseline.proto', import.meta.url)), {
  keepCase: true,
  longs: Number,
});
const { Users } = grpc.loadPackageDefinition(definition).baseline;

/** Serves GetUser on 127.0.0.1:`port` with `getUser({ id })` → a user or null. */
export async function serveGrpc(port, getUser) {
  const server = new grpc.Server();
  server.addService(Users.service, {
    GetUser: (call, callback) =>
      getUser(call.request).then(
        (user) => callback(null, { user: user ?? undefined }),
        (error) => callback({ code: grpc.status.INTERNAL, details: error.message }),
      ),
  });
  await new Promise((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  return server;
}

/** getUser({ id }) resolves with the user or null, or rejects after timeoutMs. */
export function grpcClient(port, timeoutMs = 5000) {
  const client = new Users(`dns:///127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const getUser = (request) =>
    new Promise((resolve, reject) =>
      client.GetUser(request, { deadline: Date.now() + timeoutMs }, (error, reply) =>
        error ? reject(error) : resolve(reply.user ?? null),
      ),
    );
  return { getUser, close: () => client.close() };
}
