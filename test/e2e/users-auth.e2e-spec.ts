import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, importPKCS8 } from 'jose';
import { http, type HttpResult } from '../support/http-client.js';
import { ADMIN, SystemUnderTest } from '../support/system-under-test.js';
import { queryDatabase } from '../support/postgres-test-kit.js';

const system = new SystemUnderTest();
const USER_FIELDS = [
  'createdAt',
  'creditLimitCents',
  'creditReservedCents',
  'email',
  'id',
  'name',
  'role',
  'updatedAt',
];

function expectProblem(result: HttpResult, status: number, code: string): void {
  expect(result.status).toBe(status);
  expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(result.body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String) });
  expect(typeof result.body.detail).toBe('string');
  expect(result.text).not.toMatch(/stack|argon2|SELECT|password_hash|at .*\.js:\d+/i);
}

async function register(email: string, password = 'correct-horse-1', name = 'Test User'): Promise<HttpResult> {
  return http('POST', `${system.api}/auth/register`, { body: { email, password, name } });
}

async function login(email: string, password = 'correct-horse-1'): Promise<string> {
  const result = await http<{ accessToken: string }>('POST', `${system.api}/auth/login`, { body: { email, password } });
  expect(result.status).toBe(200);
  return result.body.accessToken;
}

beforeAll(async () => {
  await system.start(['users', 'orders', 'payments', 'gateway']);
}, 90_000);

afterAll(async () => {
  await system.stop();
}, 30_000);

describe('health', () => {
  it.each(['gateway', 'users', 'orders', 'payments'] as const)('%s is live and ready', async (name) => {
    const ready = await http('GET', system.app(name).healthUrl);
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    const live = await http('GET', system.app(name).healthUrl.replace('/ready', '/live'));
    expect(live.status).toBe(200);
  });
});

describe('a user journey: register → login → me → patch → get by id', () => {
  it('works end to end and never shows the password hash', async () => {
    const registered = await register('Journey@Example.com', 'journey-pass-1', '  Journey  ');
    expect(registered.status).toBe(201);
    expect(Object.keys(registered.body).sort()).toEqual(USER_FIELDS);
    expect(registered.body).toMatchObject({
      email: 'journey@example.com',
      name: 'Journey',
      role: 'user',
      creditLimitCents: 100000,
      creditReservedCents: 0,
    });

    const login1 = await http<Record<string, unknown>>('POST', `${system.api}/auth/login`, {
      body: { email: 'JOURNEY@example.com', password: 'journey-pass-1' },
    });
    expect(login1.status).toBe(200);
    expect(login1.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const token = login1.body.accessToken as string;
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'EdDSA', kid: expect.any(String) });
    expect(payload).toMatchObject({ sub: registered.body.id, role: 'user' });
    expect(payload.exp - payload.iat).toBe(900);

    const me = await http('GET', `${system.api}/users/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(registered.body);

    const patched = await http('PATCH', `${system.api}/users/me`, {
      token,
      body: { name: 'Journey Renamed', email: 'journey2@example.com' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      id: registered.body.id,
      name: 'Journey Renamed',
      email: 'journey2@example.com',
    });

    const byId = await http('GET', `${system.api}/users/${registered.body.id as string}`, { token });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(patched.body);
    for (const result of [registered, me, patched, byId]) expect(result.text).not.toMatch(/argon2|hash/i);

    const outbox = await queryDatabase<{ type: string }>(
      system.databases.users,
      "SELECT type FROM outbox WHERE payload->>'userId' = $1 ORDER BY occurred_at",
      [registered.body.id],
    );
    expect(outbox.map((row) => row.type)).toEqual(['UserRegistered', 'UserProfileUpdated']);
  });

  it('accepts an empty PATCH as no change', async () => {
    await register('nochange@example.com');
    const token = await login('nochange@example.com');
    const result = await http('PATCH', `${system.api}/users/me`, { token, body: {} });
    expect(result.status).toBe(200);
    expect(result.body.email).toBe('nochange@example.com');
  });
});

describe('registration rules', () => {
  it('refuses a duplicate email in another case with 409 EMAIL_TAKEN', async () => {
    expect((await register('dup@example.com')).status).toBe(201);
    expectProblem(await register('DUP@Example.COM'), 409, 'EMAIL_TAKEN');
  });

  it('refuses changing one email to another user email with 409', async () => {
    await register('first@example.com');
    await register('second@example.com');
    const token = await login('second@example.com');
    expectProblem(
      await http('PATCH', `${system.api}/users/me`, { token, body: { email: 'FIRST@example.com' } }),
      409,
      'EMAIL_TAKEN',
    );
  });

  it.each([
    ['a short password', { email: 'a@example.com', password: 'short', name: 'A' }, 'password'],
    ['a long password', { email: 'a@example.com', password: 'p'.repeat(129), name: 'A' }, 'password'],
    ['a bad email', { email: 'not-an-email', password: 'long-enough', name: 'A' }, 'email'],
    ['an empty name', { email: 'a@example.com', password: 'long-enough', name: '' }, 'name'],
    ['a 101-character name', { email: 'a@example.com', password: 'long-enough', name: 'n'.repeat(101) }, 'name'],
    ['a number as password', { email: 'a@example.com', password: 12345678, name: 'A' }, 'password'],
    ['a missing name', { email: 'a@example.com', password: 'long-enough' }, 'name'],
    ['an unknown field', { email: 'a@example.com', password: 'long-enough', name: 'A', role: 'admin' }, 'role'],
    [
      'mass-assigned credit',
      { email: 'a@example.com', password: 'long-enough', name: 'A', creditLimitCents: 1e9 },
      'creditLimitCents',
    ],
  ])('answers 400 with field errors for %s', async (_, body, field) => {
    const result = await http('POST', `${system.api}/auth/register`, { body });
    expectProblem(result, 400, 'VALIDATION_FAILED');
    expect(result.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('creates nothing for a rejected registration', async () => {
    await http('POST', `${system.api}/auth/register`, {
      body: { email: 'ghost@example.com', password: 'long-enough', name: 'G', role: 'admin' },
    });
    const rows = await queryDatabase(system.databases.users, 'SELECT id FROM users WHERE email = $1', [
      'ghost@example.com',
    ]);
    expect(rows).toEqual([]);
  });
});

describe('malformed requests', () => {
  it.each([
    ['malformed JSON', '{"email":', 'MALFORMED_JSON'],
    ['an empty JSON body', '', 'MALFORMED_JSON'],
    ['a JSON array', '[1,2]', 'VALIDATION_FAILED'],
    ['a JSON string', '"hello"', 'VALIDATION_FAILED'],
    ['JSON null', 'null', 'VALIDATION_FAILED'],
  ])('answers 400 for %s', async (_, rawBody, code) => {
    expectProblem(await http('POST', `${system.api}/auth/register`, { rawBody }), 400, code);
  });

  it('answers 413 for a 200 KiB body', async () => {
    const rawBody = JSON.stringify({ email: 'big@example.com', password: 'x'.repeat(200 * 1024), name: 'Big' });
    expectProblem(await http('POST', `${system.api}/auth/register`, { rawBody }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const result = await http('POST', `${system.api}/auth/login`, {
      rawBody: 'email=a@b.co',
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(result, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 404 problem+json for an unknown route', async () => {
    expectProblem(await http('GET', `${system.api}/nowhere`), 404, 'ROUTE_NOT_FOUND');
  });

  it('answers 400 for a user id that is not a UUID', async () => {
    await register('uuid-check@example.com');
    const token = await login('uuid-check@example.com');
    expectProblem(await http('GET', `${system.api}/users/not-a-uuid`, { token }), 400, 'VALIDATION_FAILED');
  });
});

describe('authentication', () => {
  it('answers wrong password and unknown email with the identical 401', async () => {
    await register('known@example.com');
    const wrong = await http('POST', `${system.api}/auth/login`, {
      body: { email: 'known@example.com', password: 'wrong-password' },
    });
    const unknown = await http('POST', `${system.api}/auth/login`, {
      body: { email: 'unknown@example.com', password: 'wrong-password' },
    });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
    const strip = ({ correlationId: _c, ...rest }: Record<string, unknown>) => rest;
    expect(strip(wrong.body)).toEqual(strip(unknown.body));
  });

  it('rejects a missing, garbage, tampered or foreign token with 401', async () => {
    const registered = await register('tokens@example.com');
    const token = await login('tokens@example.com');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    const foreignKey = await importPKCS8(
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'EdDSA',
    );
    const foreign = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA', kid: JSON.parse(Buffer.from(header!, 'base64url').toString()).kid })
      .setSubject(registered.body.id as string)
      .setIssuer(claims.iss)
      .setAudience(claims.aud)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(foreignKey);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;

    expectProblem(await http('GET', `${system.api}/users/me`), 401, 'UNAUTHENTICATED');
    for (const bad of ['garbage', `${header}.${elevated}.${signature}`, foreign, none]) {
      expectProblem(await http('GET', `${system.api}/users/me`, { token: bad }), 401, 'UNAUTHENTICATED');
    }
    expectProblem(
      await http('GET', `${system.api}/users/me`, { headers: { authorization: `Basic ${token}` } }),
      401,
      'UNAUTHENTICATED',
    );
    expect((await http('GET', `${system.api}/users/me`, { token })).status).toBe(200);
  });
});

describe('authorisation', () => {
  it("refuses another user's profile with 403, and a nobody's the same (existence is not leaked)", async () => {
    const alice = await register('alice-authz@example.com');
    await register('bob-authz@example.com');
    const bobToken = await login('bob-authz@example.com');
    expectProblem(
      await http('GET', `${system.api}/users/${alice.body.id as string}`, { token: bobToken }),
      403,
      'FORBIDDEN',
    );
    expectProblem(await http('GET', `${system.api}/users/${randomUUID()}`, { token: bobToken }), 403, 'FORBIDDEN');
  });

  it('lets the configured admin read any user, and 404s an unknown one', async () => {
    const carol = await register('carol-authz@example.com');
    const adminToken = await login(ADMIN.email, ADMIN.password);
    const byAdmin = await http('GET', `${system.api}/users/${carol.body.id as string}`, { token: adminToken });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.email).toBe('carol-authz@example.com');
    expectProblem(
      await http('GET', `${system.api}/users/${randomUUID()}`, { token: adminToken }),
      404,
      'USER_NOT_FOUND',
    );
    const me = await http('GET', `${system.api}/users/me`, { token: adminToken });
    expect(me.body.role).toBe('admin');
  });
});

describe('correlation', () => {
  it('echoes a sane X-Correlation-Id, replaces an insane one, and puts it on the outbox row', async () => {
    const id = `e2e-${randomUUID()}`;
    const result = await http('POST', `${system.api}/auth/register`, {
      body: { email: 'correlated@example.com', password: 'long-enough', name: 'C' },
      headers: { 'x-correlation-id': id },
    });
    expect(result.headers.get('x-correlation-id')).toBe(id);
    const rows = await queryDatabase<{ headers: { correlationId: string } }>(
      system.databases.users,
      "SELECT headers FROM outbox WHERE payload->>'email' = $1",
      ['correlated@example.com'],
    );
    expect(rows[0]!.headers.correlationId).toBe(id);
    const insane = await http('GET', `${system.gatewayUrl}/health/live`, {
      headers: { 'x-correlation-id': 'a b\u00e9'.repeat(50) },
    });
    expect(insane.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
