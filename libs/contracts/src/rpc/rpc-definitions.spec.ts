import { describe, expect, it } from '@jest/globals';
import type { z } from 'zod';
import { OrdersRpc } from '../orders/orders.rpc.js';
import { PaymentsRpc } from '../payments/payments.rpc.js';
import { UsersRpc } from '../users/users.rpc.js';
import type { AnyRpcDefinition } from './define-rpc.js';
import { GrpcServices } from './define-rpc.js';
import { RPC_DEFINITIONS } from './rpc-definitions.js';

const token = { accessToken: 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln' };
const userId = '2e40b518-f03e-4c0a-92bb-d8654068a825';
const orderId = '6f9c1e52-3c1d-4f7a-9a0e-8d2b5e4c7a10';
const item = { sku: 'BOOK-42', quantity: 2, unitPriceCents: 1999 };
const order = { ...token, idempotencyKey: 'key-1', currency: 'EUR', items: [item] };

/** A request that differs from the valid one, and the one dotted field path it must be refused on. */
type Refusal = [what: string, request: Record<string, unknown>, field: string];

interface RpcCases {
  valid: Record<string, unknown>[];
  invalid: Refusal[];
}

const withItem = (change: Record<string, unknown>): Record<string, unknown> => ({
  ...order,
  items: [item, { ...item, ...change }],
});

/** Every RPC: requests it accepts, and each invalid field refused with its path. */
const CASES: Record<string, RpcCases> = {
  'users.register': {
    valid: [{ email: 'ada@example.com', password: 'correct-horse-1', name: 'Ada' }],
    invalid: [
      ['a numeric email', { email: 1, password: 'correct-horse-1', name: 'Ada' }, 'email'],
      ['no password', { email: 'ada@example.com', name: 'Ada' }, 'password'],
      ['a name that is null', { email: 'ada@example.com', password: 'correct-horse-1', name: null }, 'name'],
    ],
  },
  'users.authenticate': {
    valid: [{ email: 'ada@example.com', password: 'correct-horse-1' }],
    invalid: [
      ['no email', { password: 'correct-horse-1' }, 'email'],
      ['a password that is an array', { email: 'ada@example.com', password: ['x'] }, 'password'],
    ],
  },
  'users.refresh': {
    valid: [{ refreshToken: 'q3Zk0cX1n7b2Yw5mV9sT4rP8uL6hJ0gF2eD1aC3bB5E' }],
    invalid: [
      ['an empty refresh token', { refreshToken: '' }, 'refreshToken'],
      ['a 201-character refresh token', { refreshToken: 'x'.repeat(201) }, 'refreshToken'],
      ['a numeric refresh token', { refreshToken: 42 }, 'refreshToken'],
    ],
  },
  'users.logout': {
    valid: [{ refreshToken: 'q3Zk0cX1n7b2Yw5mV9sT4rP8uL6hJ0gF2eD1aC3bB5E' }],
    invalid: [['no refresh token', {}, 'refreshToken']],
  },
  'users.get': {
    valid: [{ ...token, userId }],
    invalid: [
      ['a user id that is not a UUID', { ...token, userId: 'not-a-uuid' }, 'userId'],
      ['an upper-case user id', { ...token, userId: userId.toUpperCase() }, 'userId'],
      ['no access token', { userId }, 'accessToken'],
      ['an empty access token', { accessToken: '', userId }, 'accessToken'],
      ['a 4097-character access token', { accessToken: 'x'.repeat(4097), userId }, 'accessToken'],
    ],
  },
  'users.list': {
    valid: [{ ...token }, { ...token, limit: 1, cursor: '' }, { ...token, limit: 100, cursor: 'c'.repeat(200) }],
    invalid: [
      ['limit 0', { ...token, limit: 0 }, 'limit'],
      ['limit 101', { ...token, limit: 101 }, 'limit'],
      ['limit 1.5', { ...token, limit: 1.5 }, 'limit'],
      ['limit "10" (a string)', { ...token, limit: '10' }, 'limit'],
      ['a 201-character cursor', { ...token, cursor: 'c'.repeat(201) }, 'cursor'],
    ],
  },
  'users.update-profile': {
    valid: [
      { ...token, userId },
      { ...token, userId, name: 'Ada King', email: 'ada.king@example.com' },
    ],
    invalid: [
      ['a numeric name', { ...token, userId, name: 7 }, 'name'],
      ['an email that is null', { ...token, userId, email: null }, 'email'],
      ['no user id', { ...token, name: 'Ada' }, 'userId'],
    ],
  },
  'orders.place': {
    valid: [
      order,
      {
        ...order,
        items: Array.from({ length: 100 }, () => ({
          sku: 'x'.repeat(64),
          quantity: 10_000,
          unitPriceCents: 100_000_000,
        })),
      },
      { ...order, idempotencyKey: '~'.repeat(128), items: [{ sku: 'a.b_c-9', quantity: 1, unitPriceCents: 1 }] },
    ],
    invalid: [
      ['an empty sku', withItem({ sku: '' }), 'items.1.sku'],
      ['a 65-character sku', withItem({ sku: 'x'.repeat(65) }), 'items.1.sku'],
      ['a sku with a slash', withItem({ sku: 'SKU/1' }), 'items.1.sku'],
      ['quantity 0', withItem({ quantity: 0 }), 'items.1.quantity'],
      ['quantity 10001', withItem({ quantity: 10_001 }), 'items.1.quantity'],
      ['quantity 1.5', withItem({ quantity: 1.5 }), 'items.1.quantity'],
      ['quantity "3" (a string)', withItem({ quantity: '3' }), 'items.1.quantity'],
      ['unitPriceCents 0', withItem({ unitPriceCents: 0 }), 'items.1.unitPriceCents'],
      ['unitPriceCents 100000001', withItem({ unitPriceCents: 100_000_001 }), 'items.1.unitPriceCents'],
      ['an item that is not an object', { ...order, items: [item, 'SKU-1'] }, 'items.1'],
      ['no items', { ...order, items: [] }, 'items'],
      ['101 items', { ...order, items: Array.from({ length: 101 }, () => item) }, 'items'],
      ['items that are not an array', { ...order, items: item }, 'items'],
      ['lower-case currency', { ...order, currency: 'eur' }, 'currency'],
      ['a four-letter currency', { ...order, currency: 'EURO' }, 'currency'],
      ['an empty idempotency key', { ...order, idempotencyKey: '' }, 'idempotencyKey'],
      ['a 129-character idempotency key', { ...order, idempotencyKey: 'k'.repeat(129) }, 'idempotencyKey'],
      ['an idempotency key with a space', { ...order, idempotencyKey: 'my key' }, 'idempotencyKey'],
    ],
  },
  'orders.get': {
    valid: [{ ...token, orderId }],
    invalid: [['an order id that is not a UUID', { ...token, orderId: '42' }, 'orderId']],
  },
  'orders.list': {
    valid: [{ ...token }, { ...token, status: 'CONFIRMED', limit: 20, cursor: 'abc' }],
    invalid: [
      ['status SHIPPED', { ...token, status: 'SHIPPED' }, 'status'],
      ['lower-case status', { ...token, status: 'pending' }, 'status'],
      ['limit 101', { ...token, limit: 101 }, 'limit'],
      ['a numeric cursor', { ...token, cursor: 5 }, 'cursor'],
    ],
  },
  'orders.cancel': {
    valid: [{ ...token, orderId }],
    invalid: [
      ['no order id', { ...token }, 'orderId'],
      ['an order id with a trailing space', { ...token, orderId: `${orderId} ` }, 'orderId'],
    ],
  },
  'payments.get-by-order': {
    valid: [{ ...token, orderId }],
    invalid: [
      ['no order id', { ...token }, 'orderId'],
      ['an upper-case order id', { ...token, orderId: orderId.toUpperCase() }, 'orderId'],
      ['no access token', { orderId }, 'accessToken'],
    ],
  },
};

const byName = new Map(RPC_DEFINITIONS.map((definition) => [definition.name, definition]));

function refusedFields(definition: AnyRpcDefinition, request: unknown): string[] {
  const result = definition.request.safeParse(request);
  expect(result.success).toBe(false);
  return [...new Set(result.error!.issues.map((issue) => issue.path.join('.')))];
}

describe('RPC_DEFINITIONS', () => {
  it('lists every RPC of every service once, under the names and gRPC methods the services are known by', () => {
    expect(RPC_DEFINITIONS.map((d) => [d.name, d.grpcMethod])).toEqual([
      ['users.register', 'Register'],
      ['users.authenticate', 'Authenticate'],
      ['users.refresh', 'Refresh'],
      ['users.logout', 'Logout'],
      ['users.get', 'GetUser'],
      ['users.list', 'ListUsers'],
      ['users.update-profile', 'UpdateProfile'],
      ['orders.place', 'PlaceOrder'],
      ['orders.get', 'GetOrder'],
      ['orders.list', 'ListOrders'],
      ['orders.cancel', 'CancelOrder'],
      ['payments.get-by-order', 'GetPaymentByOrder'],
    ]);
    expect(new Set(RPC_DEFINITIONS)).toEqual(
      new Set([...Object.values(UsersRpc), ...Object.values(OrdersRpc), ...Object.values(PaymentsRpc)]),
    );
    for (const definition of RPC_DEFINITIONS) {
      expect(definition.name.startsWith(`${definition.service}.`)).toBe(true);
      expect(GrpcServices[definition.service]).toBeDefined();
      expect(Object.isFrozen(definition)).toBe(true);
    }
  });

  it('marks only the reads as idempotent (retried by the gateway when they could not be sent)', () => {
    expect(RPC_DEFINITIONS.filter((d) => d.idempotent).map((d) => d.name)).toEqual([
      'users.get',
      'users.list',
      'orders.get',
      'orders.list',
      'payments.get-by-order',
    ]);
  });

  it('has test cases for every RPC', () => {
    expect(Object.keys(CASES).sort()).toEqual(RPC_DEFINITIONS.map((d) => d.name).sort());
  });

  it.each(RPC_DEFINITIONS.map((d) => [d.name, d] as const))(
    '%s uses only what maps simply to protobuf (objects, strings, integers, booleans, enums, arrays, optional, nullable)',
    (_, definition) => {
      expect(unmappable(definition.request, 'request')).toEqual([]);
      expect(unmappable(definition.response, 'response')).toEqual([]);
    },
  );
});

describe.each(Object.entries(CASES))('%s', (name, { valid, invalid }) => {
  const definition = byName.get(name)!;

  it('accepts valid requests, unchanged', () => {
    for (const request of valid) expect(definition.request.parse(request)).toEqual(request);
  });

  it('drops fields it does not know, so a claim beside the token (an actor) never reaches the handler', () => {
    const parsed = definition.request.parse({ ...valid[0], actor: { id: userId, role: 'admin' } });
    expect(parsed).toEqual(valid[0]);
  });

  it.each(invalid)('refuses %s, naming the field', (_, request, field) => {
    expect(refusedFields(definition, request)).toEqual([field]);
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['a string', 'users.get'],
  ])('refuses a request that is %s', (_, request) => {
    expect(definition.request.safeParse(request).success).toBe(false);
  });
});

/** Every node of a schema whose kind has no simple protobuf counterpart, by its path in the schema. */
function unmappable(schema: z.ZodType, path: string): string[] {
  const def = (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'enum':
      return [];
    case 'object':
      return Object.entries(def.shape!).flatMap(([key, child]) => unmappable(child, `${path}.${key}`));
    case 'array':
      return unmappable(def.element!, `${path}[]`);
    case 'optional':
    case 'nullable':
      return unmappable(def.innerType!, path);
    default:
      return [`${path}: ${def.type}`];
  }
}

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
}
