import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  Client,
  Metadata,
  credentials,
  status as Status,
  type ServiceDefinition,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, loadSync } from '@grpc/proto-loader';
import { http } from '../support/http-client.js';
import { registerUser } from '../support/saga-api.js';
import { SystemUnderTest } from '../support/system-under-test.js';

/*
 * What `grpcurl -plaintext -d '{"accessToken": ..., "userId": ...}' <users>:<port> user.UserService/GetUser`
 * does, with a plain @grpc/grpc-js client and nothing of ours: it lists the services through
 * server reflection, fetches the file describing user.UserService, builds the method from it,
 * and calls GetUser with a real access token from a log-in through the gateway.
 */

const system = new SystemUnderTest({}, 'grpc');

/** The reflection service's own descriptor, as grpcurl has it compiled in (from @grpc/reflection's package). */
const reflectionProto = join(
  dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json')),
  'build/proto/grpc/reflection/v1/reflection.proto',
);

interface ReflectionReply {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number; errorMessage: string };
}

/** One request on the bidirectional reflection stream, its one reply. */
function reflect(target: string, request: Record<string, unknown>): Promise<ReflectionReply> {
  const service = loadSync(reflectionProto, { defaults: false })[
    'grpc.reflection.v1.ServerReflection'
  ] as ServiceDefinition;
  const method = service.ServerReflectionInfo!;
  const client = new Client(target, credentials.createInsecure());
  const stream = client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize);
  return new Promise((resolve, reject) => {
    stream.on('data', (reply: ReflectionReply) => {
      stream.end();
      client.close();
      resolve(reply);
    });
    stream.on('error', reject);
    stream.write(request);
  });
}

/** A FileDescriptorSet (`repeated FileDescriptorProto file = 1`) of the files reflection returned. */
function descriptorSetOf(files: Buffer[]): Buffer {
  const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(n >>> 7)]);
  return Buffer.concat(files.map((file) => Buffer.concat([Buffer.from([0x0a, ...varint(file.length)]), file])));
}

beforeAll(async () => {
  await system.start(['users', 'gateway']);
}, 90_000);

afterAll(async () => {
  await system.stop();
}, 30_000);

describe('user.UserService/GetUser from outside, with a plain gRPC client and server reflection', () => {
  it('lists the service, describes it, and answers GetUser as the gateway shows the user', async () => {
    const target = `127.0.0.1:${system.settingOf('USERS_GRPC_PORT')}`;

    const listed = await reflect(target, { listServices: '' });
    expect(listed.listServicesResponse?.service.map((s) => s.name)).toEqual(
      expect.arrayContaining(['user.UserService', 'grpc.health.v1.Health']),
    );

    const described = await reflect(target, { fileContainingSymbol: 'user.UserService' });
    const files = described.fileDescriptorResponse?.fileDescriptorProto ?? [];
    expect(files.length).toBeGreaterThan(0);
    const users = loadFileDescriptorSetFromBuffer(descriptorSetOf(files), { longs: Number, defaults: true })[
      'user.UserService'
    ] as ServiceDefinition;
    const getUser = users.GetUser!;
    expect(getUser.path).toBe('/user.UserService/GetUser');

    const user = await registerUser(system, 'grpc-plain');
    const me = await http<Record<string, unknown>>('GET', `${system.api}/users/me`, { token: user.token });
    expect(me.status).toBe(200);

    const client = new Client(target, credentials.createInsecure());
    const call = (request: Record<string, unknown>) =>
      new Promise<{ error: ServiceError | null; reply: unknown }>((resolve) =>
        client.makeUnaryRequest(
          getUser.path,
          getUser.requestSerialize,
          getUser.responseDeserialize,
          request,
          new Metadata(),
          { deadline: Date.now() + 5000 },
          (error, reply) => resolve({ error, reply }),
        ),
      );
    const answered = await call({ accessToken: user.token, userId: me.body.id });
    const refused = await call({ accessToken: 'not-a-token', userId: me.body.id });
    client.close();

    expect(answered.error).toBeNull();
    expect(answered.reply).toEqual(me.body);
    expect(refused.error?.code).toBe(Status.UNAUTHENTICATED);
    expect(refused.error?.metadata.get('x-error-code')).toEqual(['UNAUTHENTICATED']);
  });
});
