import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT, calculateJwkThumbprint, exportJWK, importPKCS8, importSPKI } from 'jose';
import { RpcQueues, UsersRpc, type AnyRpcDefinition } from '@app/contracts';
import { RpcRemoteError } from '@app/messaging';
import { AmqpRpcClient, type AmqpConnection } from '@app/messaging/amqp';
import { openConnection } from '../support/amqp-test-kit.js';
import { http } from '../support/http-client.js';
import { ADMIN, SystemUnderTest } from '../support/system-under-test.js';

/*
 * Any client of the broker can put a request on a service's RPC queue. What it claims about its
 * caller must count for nothing: a service takes the caller from an access token the gateway
 * signed, which it verifies itself.
 */
const system = new SystemUnderTest();
let connection: AmqpConnection;
let users: AmqpRpcClient;
let userToken: string;
let userId: string;

/**
 * The error code the users service answers a request put straight on its queue with: sent raw,
 * as a hostile client of the broker would, not through the typed call.
 */
async function answerCode(rpc: AnyRpcDefinition, request: unknown): Promise<string> {
  const error = await users.send(rpc.name, request).then(
    () => 'ok',
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RpcRemoteError);
  return (error as RpcRemoteError).body.code;
}

/** An access token with every claim right, signed by a key that is not the gateway's. */
async function forgedAdminToken(): Promise<string> {
  const pair = generateKeyPairSync('ed25519');
  const publicKey = await importSPKI(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'EdDSA', {
    extractable: true,
  });
  return new SignJWT({ role: 'admin' })
    .setProtectedHeader({ alg: 'EdDSA', kid: await calculateJwkThumbprint(await exportJWK(publicKey)), typ: 'JWT' })
    .setSubject(randomUUID())
    .setIssuer('nest-ddd-gateway')
    .setAudience('nest-ddd-api')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importPKCS8(pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'EdDSA'));
}

beforeAll(async () => {
  await system.start(['users', 'gateway']);
  const email = `caller-${randomUUID()}@e2e.test`;
  const registered = await http<{ id: string }>('POST', `${system.api}/auth/register`, {
    body: { email, password: 'caller-pass-1', name: 'Caller' },
  });
  expect(registered.status).toBe(201);
  userId = registered.body.id;
  const login = await http<{ accessToken: string }>('POST', `${system.api}/auth/login`, {
    body: { email, password: 'caller-pass-1' },
  });
  userToken = login.body.accessToken;
  connection = await openConnection(system.prefix);
  users = new AmqpRpcClient(connection, `${system.prefix}${RpcQueues.users}`, 5000);
  await users.init();
}, 90_000);

afterAll(async () => {
  await connection?.close();
  await system.stop();
}, 30_000);

describe('an RPC request put straight on the users queue', () => {
  it('is refused when it names an admin actor and carries no token', async () => {
    const actor = { id: randomUUID(), role: 'admin' };
    expect(await answerCode(UsersRpc.list, { actor, limit: 10 })).toBe('UNAUTHENTICATED');
    expect(await answerCode(UsersRpc.get, { actor, userId })).toBe('UNAUTHENTICATED');
  });

  it('is refused with an admin token not signed by the gateway key', async () => {
    expect(await answerCode(UsersRpc.list, { accessToken: await forgedAdminToken(), limit: 10 })).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('is refused with a token that is not a JWT', async () => {
    expect(await answerCode(UsersRpc.list, { accessToken: 'admin', limit: 10 })).toBe('UNAUTHENTICATED');
  });

  it('takes the role from the verified token, not from an actor claimed beside it', async () => {
    const request = { accessToken: userToken, actor: { id: userId, role: 'admin' }, limit: 10 };
    expect(await answerCode(UsersRpc.list, request)).toBe('FORBIDDEN');
  });

  it('is served for the real caller with a token the gateway issued', async () => {
    await expect(users.call(UsersRpc.get, { accessToken: userToken, userId })).resolves.toMatchObject({ id: userId });
  });

  it("changes nothing when refused: a profile update naming the user as actor, without the user's token", async () => {
    const forged = { actor: { id: userId, role: 'user' }, userId, name: 'Hijacked' };
    expect(await answerCode(UsersRpc.updateProfile, forged)).toBe('UNAUTHENTICATED');
    const me = await http<{ name: string }>('GET', `${system.api}/users/me`, { token: userToken });
    expect(me.status).toBe(200);
    expect(me.body.name).toBe('Caller');
  });
});

describe('through the gateway', () => {
  it('an admin still lists users, a user still gets 403, an RPC without a valid token 401', async () => {
    const adminLogin = await http<{ accessToken: string }>('POST', `${system.api}/auth/login`, { body: ADMIN });
    expect(adminLogin.status).toBe(200);
    expect((await http('GET', `${system.api}/users`, { token: adminLogin.body.accessToken })).status).toBe(200);
    expect((await http('GET', `${system.api}/users`, { token: userToken })).status).toBe(403);
    expect((await http('GET', `${system.api}/users/me`, { token: await forgedAdminToken() })).status).toBe(401);
  });
});
