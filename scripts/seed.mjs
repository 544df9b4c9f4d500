// npm run seed: demo data through the public API of a running system (npm start, or
// npm run start:services). Safe to run again: an existing account is logged in to, and every
// order has a fixed Idempotency-Key, so a second run answers the first run's orders (for as long
// as the orders service keeps its keys: at least 24 hours).
//   SEED_BASE_URL   the gateway (default http://localhost:3000)
//   ADMIN_EMAIL, ADMIN_PASSWORD   the admin the system was started with, if any: then the seed
//                                 also lists every user with the admin's token
const BASE_URL = (process.env.SEED_BASE_URL || 'http://localhost:3000').replace(/\/+$/, '');
const API = `${BASE_URL}/api/v1`;
const PASSWORD = 'demo-password-1';

/** Each user's orders: the status it should end in, and its body. Credit limit is 100000 cents by default. */
const USERS = [
  {
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    orders: [
      {
        key: 'seed-ada-books',
        ends: 'CONFIRMED',
        currency: 'EUR',
        items: [{ sku: 'BOOK-42', quantity: 2, unitPriceCents: 1999 }],
      },
      {
        key: 'seed-ada-lamp',
        ends: 'CANCELLED',
        currency: 'EUR',
        items: [{ sku: 'LAMP-7', quantity: 1, unitPriceCents: 4500 }],
      },
      {
        key: 'seed-ada-car',
        ends: 'REJECTED',
        currency: 'EUR',
        items: [{ sku: 'CAR-1', quantity: 1, unitPriceCents: 5_000_000 }],
      },
    ],
  },
  {
    email: 'grace@example.com',
    name: 'Grace Hopper',
    orders: [
      {
        key: 'seed-grace-tools',
        ends: 'CONFIRMED',
        currency: 'USD',
        items: [
          { sku: 'COMPILER-1', quantity: 1, unitPriceCents: 25_000 },
          { sku: 'NANOSECOND-WIRE', quantity: 10, unitPriceCents: 30 },
        ],
      },
    ],
  },
  { email: 'alan@example.com', name: 'Alan Turing', orders: [] },
];

class ApiError extends Error {}

/** `path` under /api/v1, or from the root when it starts with /health. */
async function call(method, path, { token, body, headers = {} } = {}) {
  let response;
  try {
    response = await fetch(`${path.startsWith('/health') ? BASE_URL : API}${path}`, {
      method,
      headers: {
        ...headers,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new ApiError(
      `cannot reach ${BASE_URL} (${error.cause?.code ?? error.message}); start the system first: npm start`,
    );
  }
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

function expectStatus(result, expected, what) {
  if (!expected.includes(result.status)) {
    const problem = result.body?.code ? `${result.body.code}: ${result.body.detail}` : JSON.stringify(result.body);
    throw new ApiError(`${what}: expected ${expected.join(' or ')}, got ${result.status} (${problem})`);
  }
  return result;
}

/** Registers the user, or logs in when the account exists already; returns its access token. */
async function account(user) {
  const registered = await call('POST', '/auth/register', {
    body: { email: user.email, password: PASSWORD, name: user.name },
  });
  expectStatus(registered, [201, 409], `registering ${user.email}`);
  const login = await call('POST', '/auth/login', { body: { email: user.email, password: PASSWORD } });
  if (login.status === 401) {
    throw new ApiError(
      `${user.email} exists with another password than ${PASSWORD}: log in yourself, or use a fresh database`,
    );
  }
  expectStatus(login, [200], `logging in ${user.email}`);
  return { created: registered.status === 201, token: login.body.accessToken };
}

async function settled(token, id) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const order = expectStatus(await call('GET', `/orders/${id}`, { token }), [200], `reading order ${id}`).body;
    if (order.status !== 'PENDING') return order;
    if (Date.now() > deadline) throw new ApiError(`order ${id} is still PENDING after 15 s: is the saga running?`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function seedOrder(token, spec) {
  const placed = expectStatus(
    await call('POST', '/orders', {
      token,
      body: { currency: spec.currency, items: spec.items },
      headers: { 'idempotency-key': spec.key },
    }),
    [201],
    `placing ${spec.key}`,
  );
  let order = await settled(token, placed.body.id);
  if (spec.ends === 'CANCELLED') {
    order = expectStatus(
      await call('POST', `/orders/${order.id}/cancel`, { token }),
      [200],
      `cancelling ${spec.key}`,
    ).body;
  }
  if (order.status !== spec.ends) {
    throw new ApiError(
      `${spec.key} ended ${order.status}, expected ${spec.ends} (a lower credit limit than 100000 cents?)`,
    );
  }
  const again = placed.headers.get('idempotent-replayed') === 'true';
  return `${order.status.padEnd(9)} ${String(order.totalCents).padStart(8)} ${order.currency}  ${order.id}${again ? '  (from an earlier run)' : ''}`;
}

async function listAsAdmin() {
  const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = process.env;
  if (!email || !password) {
    console.log(
      '\nno admin given: start the system with ADMIN_EMAIL and ADMIN_PASSWORD set, and pass them to the seed too',
    );
    return;
  }
  const login = expectStatus(
    await call('POST', '/auth/login', { body: { email, password } }),
    [200],
    `logging in admin ${email}`,
  );
  const users = expectStatus(
    await call('GET', '/users?limit=100', { token: login.body.accessToken }),
    [200],
    'listing users',
  );
  console.log(`\nadmin ${email} (password from ADMIN_PASSWORD) sees ${users.body.items.length} users`);
}

async function main() {
  const ready = await call('GET', '/health/ready');
  if (ready.status !== 200) throw new ApiError(`${BASE_URL}/health/ready answers ${ready.status}: not ready yet`);
  console.log(`seeding ${BASE_URL}`);
  for (const user of USERS) {
    const { created, token } = await account(user);
    console.log(`\n${user.email} / ${PASSWORD}  (${created ? 'registered' : 'existed: logged in'})`);
    for (const spec of user.orders) console.log(`  ${await seedOrder(token, spec)}`);
  }
  await listAsAdmin();
  console.log(`\ntry: ${BASE_URL}/docs ("Authorize" with a token from POST /api/v1/auth/login), or requests.http`);
}

main().catch((error) => {
  console.error(error instanceof ApiError ? `seed failed: ${error.message}` : error);
  process.exit(1);
});
