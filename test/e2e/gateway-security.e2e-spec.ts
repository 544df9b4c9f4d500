import { createPrivateKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Validator } from '@seriousme/openapi-schema-validator';
import { SignJWT, calculateJwkThumbprint, exportJWK, importPKCS8, type CryptoKey } from 'jose';
import { http, type HttpResult } from '../support/http-client.js';
import { queryDatabase } from '../support/postgres-test-kit.js';
import { ADMIN, SystemUnderTest } from '../support/system-under-test.js';

const system = new SystemUnderTest({
  RPC_TIMEOUT_MS: '1000',
  CIRCUIT_FAILURE_THRESHOLD: '3',
  CIRCUIT_COOLDOWN_MS: '3000',
  RATE_LIMIT_LOGIN_PER_ACCOUNT_PER_MINUTE: '3',
  RATE_LIMIT_ORDERS_PER_USER_PER_MINUTE: '5',
});
const ISSUER = 'nest-ddd-gateway';
const AUDIENCE = 'nest-ddd-api';
const every: HttpResult[] = [];

async function call(method: string, path: string, options: Parameters<typeof http>[2] = {}): Promise<HttpResult> {
  const result = await http(method, `${system.api}${path}`, options);
  every.push(result);
  return result;
}

function expectProblem(result: HttpResult, status: number, code: string): void {
  expect({ status: result.status, code: result.body?.code }).toEqual({ status, code });
  expect(result.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

async function newAccount(): Promise<Account> {
  const email = `sec-${randomUUID()}@example.com`;
  const password = 'correct-horse-9';
  const registered = await call('POST', '/auth/register', { body: { email, password, name: 'Sec' } });
  expect(registered.status).toBe(201);
  const login = await call('POST', '/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  return {
    id: registered.body.id as string,
    email,
    password,
    accessToken: login.body.accessToken as string,
    refreshToken: login.body.refreshToken as string,
  };
}

let gatewayKey: CryptoKey;
let gatewayKid: string;

beforeAll(async () => {
  await system.start(['users', 'orders', 'payments', 'gateway']);
  const pem = readFileSync(join(system.keysDir, 'jwt-private.pem'), 'utf8');
  gatewayKey = await importPKCS8(pem, 'EdDSA');
  const publicJwk = await exportJWK(createPrivateKey(pem));
  gatewayKid = await calculateJwkThumbprint({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x });
}, 90_000);

afterAll(async () => {
  // Nothing any route answered carries a secret or an internal detail.
  for (const result of every) {
    expect(result.text).not.toMatch(/\$argon2|password_?hash|token_hash|refresh_tokens|at .+\.js:\d+|stack/i);
  }
  await system.stop();
}, 60_000);

describe('access tokens', () => {
  let account: Account;

  beforeAll(async () => {
    account = await newAccount();
  });

  /** A token the gateway would accept, except for what `change` alters. */
  async function forged(
    change: (jwt: SignJWT) => SignJWT,
    key: CryptoKey | Uint8Array = gatewayKey,
    header: { alg: string; kid?: string } = { alg: 'EdDSA', kid: gatewayKid },
  ) {
    const base = new SignJWT({ role: 'user' })
      .setProtectedHeader({ ...header, typ: 'JWT' })
      .setSubject(account.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m');
    return change(base).sign(key);
  }

  it('accepts a valid token, and one the test signs the same way with the gateway key', async () => {
    expect((await call('GET', '/users/me', { token: account.accessToken })).status).toBe(200);
    expect((await call('GET', '/users/me', { token: await forged((jwt) => jwt) })).status).toBe(200);
  });

  it.each<[string, () => Promise<string>]>([
    [
      'alg none',
      async () => {
        const [, payload] = account.accessToken.split('.');
        return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
      },
    ],
    ['a wrong signature', async () => `${account.accessToken.slice(0, -6)}AAAAAA`],
    [
      'a token signed by another key (same kid)',
      async () => {
        const other = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        return forged((jwt) => jwt, await importPKCS8(other, 'EdDSA'));
      },
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const publicPem = readFileSync(join(system.keysDir, 'jwt-public.pem'));
        return forged((jwt) => jwt, new Uint8Array(publicPem), { alg: 'HS256', kid: gatewayKid });
      },
    ],
    [
      'expired by 60 s',
      () =>
        forged((jwt) =>
          jwt.setIssuedAt(Math.floor(Date.now() / 1000) - 960).setExpirationTime(Math.floor(Date.now() / 1000) - 60),
        ),
    ],
    ['nbf in the future', () => forged((jwt) => jwt.setNotBefore(Math.floor(Date.now() / 1000) + 120))],
    ['a wrong iss', () => forged((jwt) => jwt.setIssuer('someone-else'))],
    ['a wrong aud', () => forged((jwt) => jwt.setAudience('another-api'))],
    [
      'no exp',
      async () =>
        new SignJWT({ role: 'user' })
          .setProtectedHeader({ alg: 'EdDSA', kid: gatewayKid })
          .setSubject(account.id)
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .sign(gatewayKey),
    ],
    ['an unknown kid', () => forged((jwt) => jwt, gatewayKey, { alg: 'EdDSA', kid: 'not-our-key' })],
    ['no kid', () => forged((jwt) => jwt, gatewayKey, { alg: 'EdDSA' })],
    [
      'a role the API does not know',
      async () =>
        new SignJWT({ role: 'superuser' })
          .setProtectedHeader({ alg: 'EdDSA', kid: gatewayKid })
          .setSubject(account.id)
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(gatewayKey),
    ],
    ['a malformed token', async () => 'not.a.jwt'],
  ])('refuses %s with 401', async (_, token) => {
    const result = await call('GET', '/users/me', { token: await token() });
    expectProblem(result, 401, 'UNAUTHENTICATED');
    expect(result.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses an admin role forged into a user token (tampered payload) with 401', async () => {
    const [header, payload, signature] = account.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url');
    expectProblem(await call('GET', '/users', { token: `${header}.${elevated}.${signature}` }), 401, 'UNAUTHENTICATED');
  });
});

describe('refresh tokens', () => {
  it('rotates on every use: each token works once', async () => {
    const account = await newAccount();
    const first = await call('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(first.body.refreshToken).not.toBe(account.refreshToken);
    expect((await call('GET', '/users/me', { token: first.body.accessToken as string })).status).toBe(200);
    const second = await call('POST', '/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
  });

  it('revokes the whole family when a rotated token is reused', async () => {
    const account = await newAccount();
    const rotated = await call('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } });
    expect(rotated.status).toBe(200);
    // The old token shows up again: stolen. Refuse it, and the token rotated from it too.
    expectProblem(
      await call('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    expectProblem(
      await call('POST', '/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
    // Another log-in is another family, unaffected.
    const again = await call('POST', '/auth/login', { body: { email: account.email, password: account.password } });
    expect((await call('POST', '/auth/refresh', { body: { refreshToken: again.body.refreshToken } })).status).toBe(200);
  });

  it('logs out by revoking the family; logging out twice is fine', async () => {
    const account = await newAccount();
    expect((await call('POST', '/auth/logout', { body: { refreshToken: account.refreshToken } })).status).toBe(204);
    expect((await call('POST', '/auth/logout', { body: { refreshToken: account.refreshToken } })).status).toBe(204);
    expectProblem(
      await call('POST', '/auth/refresh', { body: { refreshToken: account.refreshToken } }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
  });

  it('stores refresh tokens only as hashes', async () => {
    const account = await newAccount();
    const rows = await queryDatabase<{ token_hash: string }>(
      system.databases.users,
      'SELECT token_hash FROM refresh_tokens WHERE user_id = $1',
      [account.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(account.refreshToken);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([[{}], [{ refreshToken: '' }], [{ refreshToken: 42 }], [{ refreshToken: 'x', extra: 1 }]])(
    'answers 400 for the body %p',
    async (body) => {
      expectProblem(await call('POST', '/auth/refresh', { body }), 400, 'VALIDATION_FAILED');
    },
  );

  it('answers 401 for an unknown refresh token', async () => {
    expectProblem(
      await call('POST', '/auth/refresh', { body: { refreshToken: 'made-up' } }),
      401,
      'INVALID_REFRESH_TOKEN',
    );
  });
});

describe('authorisation (BOLA) on every route that takes an id, and admin-only routes', () => {
  let alice: Account;
  let bob: Account;
  let aliceOrderId: string;

  beforeAll(async () => {
    alice = await newAccount();
    bob = await newAccount();
    const placed = await call('POST', '/orders', {
      token: alice.accessToken,
      headers: { 'idempotency-key': randomUUID() },
      body: { currency: 'EUR', items: [{ sku: 'BOLA-1', quantity: 1, unitPriceCents: 100 }] },
    });
    expect(placed.status).toBe(201);
    aliceOrderId = placed.body.id as string;
  });

  it("refuses another user's profile (403) and order (404), and cancelling it (404)", async () => {
    expectProblem(await call('GET', `/users/${alice.id}`, { token: bob.accessToken }), 403, 'FORBIDDEN');
    expectProblem(await call('GET', `/orders/${aliceOrderId}`, { token: bob.accessToken }), 404, 'ORDER_NOT_FOUND');
    expectProblem(
      await call('POST', `/orders/${aliceOrderId}/cancel`, { token: bob.accessToken }),
      404,
      'ORDER_NOT_FOUND',
    );
    const order = await call('GET', `/orders/${aliceOrderId}`, { token: alice.accessToken });
    expect(order.body.status).not.toBe('CANCELLED');
  });

  it('lists users for an admin only, paginated', async () => {
    expectProblem(await call('GET', '/users', { token: bob.accessToken }), 403, 'FORBIDDEN');
    const admin = await call('POST', '/auth/login', { body: { email: ADMIN.email, password: ADMIN.password } });
    const token = admin.body.accessToken as string;
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: HttpResult = await call('GET', `/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(page.status).toBe(200);
      const items = page.body.items as { id: string }[];
      expect(items.length).toBeLessThanOrEqual(2);
      for (const item of items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(seen.has(alice.id)).toBe(true);
    expect(seen.has(bob.id)).toBe(true);
    expectProblem(await call('GET', '/users?limit=101', { token }), 400, 'VALIDATION_FAILED');
    expectProblem(await call('GET', '/users?cursor=garbage', { token }), 400, 'VALIDATION_FAILED');
    expect((await call('GET', `/orders/${aliceOrderId}`, { token })).status).toBe(200);
  });
});

describe('mass assignment', () => {
  it.each([
    [{ role: 'admin' }],
    [{ creditLimitCents: 999999999 }],
    [{ creditReservedCents: 0 }],
    [{ id: randomUUID() }],
  ])('refuses PATCH /users/me with %p and changes nothing', async (body) => {
    const account = await newAccount();
    expectProblem(await call('PATCH', '/users/me', { token: account.accessToken, body }), 400, 'VALIDATION_FAILED');
    const [row] = await queryDatabase<{ role: string; credit_limit_cents: string; version: number }>(
      system.databases.users,
      'SELECT role, credit_limit_cents, version FROM users WHERE id = $1',
      [account.id],
    );
    expect(row).toEqual({ role: 'user', credit_limit_cents: '100000', version: 1 });
  });

  it.each([[{ userId: randomUUID() }], [{ status: 'CONFIRMED' }], [{ totalCents: 1 }]])(
    'refuses POST /orders with %p and creates nothing',
    async (extra) => {
      const account = await newAccount();
      const result = await call('POST', '/orders', {
        token: account.accessToken,
        headers: { 'idempotency-key': randomUUID() },
        body: { currency: 'EUR', items: [{ sku: 'MA-1', quantity: 1, unitPriceCents: 100 }], ...extra },
      });
      expectProblem(result, 400, 'VALIDATION_FAILED');
      const rows = await queryDatabase(system.databases.orders, 'SELECT id FROM orders WHERE user_id = $1', [
        account.id,
      ]);
      expect(rows).toEqual([]);
    },
  );
});

describe('rate limits', () => {
  it('limits log-in attempts per account with 429 and Retry-After; other accounts are unaffected', async () => {
    const target = await newAccount();
    const other = await newAccount();
    const attempts = [];
    for (let i = 0; i < 3; i += 1) {
      attempts.push(await call('POST', '/auth/login', { body: { email: target.email, password: 'wrong-password' } }));
    }
    // The limit is 3 attempts a minute, and newAccount() already logged in once.
    expect(attempts.map((r) => r.status)).toEqual([401, 401, 429]);
    expectProblem(attempts[2]!, 429, 'RATE_LIMITED');
    expect(Number(attempts[2]!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password is refused until the window passes, in any case of the email.
    expectProblem(
      await call('POST', '/auth/login', { body: { email: target.email.toUpperCase(), password: target.password } }),
      429,
      'RATE_LIMITED',
    );
    expect((await call('POST', '/auth/login', { body: { email: other.email, password: other.password } })).status).toBe(
      200,
    );
  });

  it('limits order placement per user', async () => {
    const account = await newAccount();
    const statuses = [];
    for (let i = 0; i < 6; i += 1) {
      const result = await call('POST', '/orders', {
        token: account.accessToken,
        headers: { 'idempotency-key': randomUUID() },
        body: { currency: 'EUR', items: [{ sku: 'RL-1', quantity: 1, unitPriceCents: 1 }] },
      });
      statuses.push(result.status);
      if (result.status === 429) expect(Number(result.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
  });
});

describe('security headers and docs', () => {
  it('sends security headers and no x-powered-by', async () => {
    const result = await call('GET', '/nowhere');
    expect(result.headers.get('x-content-type-options')).toBe('nosniff');
    expect(result.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(result.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(result.headers.get('x-powered-by')).toBeNull();
  });

  it('publishes a valid OpenAPI 3 document listing every route the gateway serves', async () => {
    const response = await http('GET', `${system.gatewayUrl}/docs-json`);
    expect(response.status).toBe(200);
    const validation = await new Validator().validate(
      structuredClone(response.body) as Parameters<Validator['validate']>[0],
    );
    expect(validation.errors ?? []).toEqual([]);
    expect(validation.valid).toBe(true);
    expect(String(response.body.openapi)).toMatch(/^3\./);

    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(response.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(operations))
        documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    }
    const served = system
      .app('gateway')
      .output.map((line) => /Mapped \{([^,]+), (\w+)\} route/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => `${match[2]} ${match[1]}`);
    expect(served.length).toBeGreaterThanOrEqual(12);
    for (const route of served) expect(documented).toContain(route);
    // Metrics are for the cluster, on the management port: neither served nor documented here.
    expect([...documented].filter((route) => route.includes('metrics'))).toEqual([]);
    expect(served.filter((route) => route.includes('metrics'))).toEqual([]);
    const bearer = (response.body.components as { securitySchemes?: Record<string, unknown> }).securitySchemes;
    expect(Object.values(bearer ?? {})).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    const docs = await http('GET', `${system.gatewayUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.text).toMatch(/swagger-ui/);
  });

  it('documents example bodies and the response headers: X-Correlation-Id, Retry-After, Idempotent-Replayed', async () => {
    type Schema = { properties?: Record<string, { example?: unknown; $ref?: string; items?: unknown }> };
    type Operation = { responses: Record<string, { headers?: Record<string, unknown> }> };
    const document = (await http('GET', `${system.gatewayUrl}/docs-json`)).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };

    const operations = Object.entries(document.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );
    for (const { route, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect([route, status, response.headers?.['X-Correlation-Id']]).toEqual([route, status, expect.anything()]);
        if (route.includes(' /api/') && (status === '429' || status === '503')) {
          expect([route, status, response.headers?.['Retry-After']]).toEqual([route, status, expect.anything()]);
        }
      }
    }
    const placed = document.paths['/api/v1/orders']!.post!.responses['201']!;
    expect(placed.headers).toHaveProperty('Idempotent-Replayed');
    const payment = document.paths['/api/v1/orders/{id}/payment']!.get!.responses;
    expect(Object.keys(payment).sort()).toEqual(['200', '400', '401', '404', '429', '503', '504']);

    // Every scalar field of the bodies a client sends or reads shows an example.
    const bodies = ['RegisterDto', 'LoginDto', 'RefreshDto', 'PlaceOrderDto', 'OrderItemDto', 'UpdateProfileDto'];
    const answers = ['TokenResponse', 'UserView', 'OrderView', 'OrderItemView', 'PaymentView', 'ProblemResponse'];
    for (const name of [...bodies, ...answers]) {
      const properties = Object.entries(document.components.schemas[name]?.properties ?? {});
      expect([name, properties.length > 0]).toEqual([name, true]);
      for (const [field, property] of properties) {
        if (property.$ref || property.items) continue; // nested: its own schema is checked
        expect([name, field, 'example' in property]).toEqual([name, field, true]);
      }
    }
  });
});

describe('a service that stops answering', () => {
  it('fails within the RPC timeout (504), then the open circuit answers 503 at once, then recovers', async () => {
    const account = await newAccount();
    await system.app('users').stop();
    const timings: { status: number; ms: number; code: unknown; retryAfter: string | null }[] = [];
    for (let i = 0; i < 6; i += 1) {
      const started = performance.now();
      const result = await call('GET', '/users/me', { token: account.accessToken });
      timings.push({
        status: result.status,
        ms: Math.round(performance.now() - started),
        code: result.body?.code,
        retryAfter: result.headers.get('retry-after'),
      });
    }
    console.log(`users stopped, GET /users/me: ${timings.map((t) => `${t.status} in ${t.ms} ms`).join(', ')}`);
    expect(timings.slice(0, 3).map((t) => t.status)).toEqual([504, 504, 504]);
    for (const t of timings.slice(0, 3)) expect(t.ms).toBeLessThan(3000);
    for (const t of timings.slice(3)) {
      expect(t).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(Number(t.retryAfter)).toBeGreaterThan(0);
      expect(t.ms).toBeLessThan(200);
    }
    // Other services' circuits are their own.
    expect((await call('GET', '/orders', { token: account.accessToken })).status).toBe(200);

    await system.app('users').start();
    await new Promise((resolve) => setTimeout(resolve, 3200)); // the cool-down
    expect((await call('GET', '/users/me', { token: account.accessToken })).status).toBe(200);
  }, 60_000);
});
