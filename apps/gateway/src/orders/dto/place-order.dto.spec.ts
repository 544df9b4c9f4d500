import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import type { ArgumentMetadata } from '@nestjs/common';
import { OrdersRpc } from '@app/contracts';
import type { FieldError } from '../../errors/problem.js';
import { RequestValidationError } from '../../errors/request-validation.error.js';
import { GatewayValidationPipe } from '../../http/gateway-validation.pipe.js';
import { ListOrdersQuery } from './list-orders.query.js';
import { OrderItemDto } from './order-item.dto.js';
import { PlaceOrderDto } from './place-order.dto.js';

const pipe = new GatewayValidationPipe();
const asBody: ArgumentMetadata = { type: 'body', metatype: PlaceOrderDto };
const asQuery: ArgumentMetadata = { type: 'query', metatype: ListOrdersQuery };

const item = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  sku: 'SKU-1',
  quantity: 2,
  unitPriceCents: 1999,
  ...overrides,
});
const body = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  currency: 'EUR',
  items: [item()],
  ...overrides,
});

/** The field errors the pipe rejects `value` with; fails the test if it is accepted. */
async function rejectedFields(value: unknown, metadata: ArgumentMetadata): Promise<FieldError[]> {
  const error = await pipe.transform(value, metadata).then(
    (accepted) => new Error(`expected a rejection, got ${JSON.stringify(accepted)}`),
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(RequestValidationError);
  return (error as RequestValidationError).fields;
}

/** Rejected naming exactly the one field given (possibly with several messages). */
async function expectRejectedOn(value: unknown, metadata: ArgumentMetadata, field: string): Promise<void> {
  const fields = await rejectedFields(value, metadata);
  expect(fields.length).toBeGreaterThan(0);
  expect(new Set(fields.map((f) => f.field))).toEqual(new Set([field]));
}

describe('PlaceOrderDto', () => {
  it('accepts a valid body and turns it into DTO instances', async () => {
    const valid = body({ items: [item(), item({ sku: 'a.b_c-9', quantity: 10_000, unitPriceCents: 100_000_000 })] });
    const result = await pipe.transform(valid, asBody);
    expect(result).toBeInstanceOf(PlaceOrderDto);
    const dto = result as PlaceOrderDto;
    expect(dto.items[0]).toBeInstanceOf(OrderItemDto);
    expect(dto).toEqual({
      currency: 'EUR',
      items: [
        { sku: 'SKU-1', quantity: 2, unitPriceCents: 1999 },
        { sku: 'a.b_c-9', quantity: 10_000, unitPriceCents: 100_000_000 },
      ],
    });
  });

  it('accepts the bounds: one item, 100 items, a 64-character sku, quantity 1, price 1 cent', async () => {
    await expect(
      pipe.transform(body({ items: [item({ quantity: 1, unitPriceCents: 1 })] }), asBody),
    ).resolves.toBeInstanceOf(PlaceOrderDto);
    await expect(
      pipe.transform(body({ items: Array.from({ length: 100 }, () => item({ sku: 'x'.repeat(64) })) }), asBody),
    ).resolves.toBeInstanceOf(PlaceOrderDto);
  });

  it.each([
    ['an empty sku', { sku: '' }, 'sku'],
    ['a 65-character sku', { sku: 'x'.repeat(65) }, 'sku'],
    ['a sku with a space', { sku: 'SKU 1' }, 'sku'],
    ['a sku with a slash', { sku: 'SKU/1' }, 'sku'],
    ['a numeric sku', { sku: 123 }, 'sku'],
    ['quantity 0', { quantity: 0 }, 'quantity'],
    ['quantity 10001', { quantity: 10_001 }, 'quantity'],
    ['quantity 1.5', { quantity: 1.5 }, 'quantity'],
    ['quantity "3" (a string)', { quantity: '3' }, 'quantity'],
    ['a negative quantity', { quantity: -1 }, 'quantity'],
    ['unitPriceCents 0', { unitPriceCents: 0 }, 'unitPriceCents'],
    ['unitPriceCents 100000001', { unitPriceCents: 100_000_001 }, 'unitPriceCents'],
    ['unitPriceCents "100" (a string)', { unitPriceCents: '100' }, 'unitPriceCents'],
    ['no unitPriceCents', { unitPriceCents: undefined }, 'unitPriceCents'],
    ['an unknown field discount', { discount: 5 }, 'discount'],
  ])('rejects an item with %s', async (_, overrides, field) => {
    await expectRejectedOn(body({ items: [item(), item(overrides)] }), asBody, `items.1.${field}`);
  });

  it.each([
    ['lower-case currency usd', { currency: 'usd' }, 'currency'],
    ['a four-letter currency EURO', { currency: 'EURO' }, 'currency'],
    ['no currency', { currency: undefined }, 'currency'],
    ['no items', { items: [] }, 'items'],
    ['101 items', { items: Array.from({ length: 101 }, () => item()) }, 'items'],
    ['items that are not an array', { items: item() }, 'items'],
    ['a missing items field', { items: undefined }, 'items'],
    ['an item that is not an object', { items: [item(), 'SKU-1'] }, 'items.1'],
    ['an unknown field userId', { userId: '0b6a1f7e-7d0f-4b59-9a55-2b6c1d4c0f10' }, 'userId'],
    ['an unknown field status', { status: 'CONFIRMED' }, 'status'],
  ])('rejects a body with %s', async (_, overrides, field) => {
    await expectRejectedOn(body(overrides), asBody, field);
  });

  it('refuses a body nested 5,000 levels deep with a 400, before transforming it (no stack overflow)', async () => {
    let deep: unknown = [];
    for (let i = 0; i < 5000; i += 1) deep = [deep];
    expect(await rejectedFields(body({ items: deep }), asBody)).toEqual([
      { field: 'body', message: 'the body must not nest deeper than 16 levels' },
    ]);
    expect(await rejectedFields(JSON.parse(`{"items":${'['.repeat(5000)}${']'.repeat(5000)}}`), asBody)).toHaveLength(
      1,
    );
  });

  it('names every offending field at once', async () => {
    const fields = await rejectedFields(
      { currency: 'usd', items: [item({ quantity: 0 }), item({ sku: '', discount: 1 })], userId: 'x' },
      asBody,
    );
    expect(new Set(fields.map((f) => f.field))).toEqual(
      new Set(['currency', 'items.0.quantity', 'items.1.sku', 'items.1.discount', 'userId']),
    );
  });

  it.each([
    ['an array', [body()]],
    ['a string', 'EUR'],
    ['null', null],
  ])('rejects a body that is %s', async (_, value) => {
    await expectRejectedOn(value, asBody, 'body');
  });
});

describe('ListOrdersQuery', () => {
  it('accepts an empty query', async () => {
    const result = await pipe.transform({}, asQuery);
    expect(result).toBeInstanceOf(ListOrdersQuery);
    expect(result).toEqual({});
  });

  it('accepts status, limit and cursor, and turns limit into a number', async () => {
    const result = await pipe.transform({ status: 'CONFIRMED', limit: '100', cursor: 'abc' }, asQuery);
    expect(result).toEqual({ status: 'CONFIRMED', limit: 100, cursor: 'abc' });
    await expect(pipe.transform({ limit: '1' }, asQuery)).resolves.toEqual({ limit: 1 });
  });

  it.each([
    ['limit 0', { limit: '0' }, 'limit'],
    ['limit 101', { limit: '101' }, 'limit'],
    ['limit abc', { limit: 'abc' }, 'limit'],
    ['limit 1.5', { limit: '1.5' }, 'limit'],
    ['an empty limit', { limit: '' }, 'limit'],
    ['status SHIPPED', { status: 'SHIPPED' }, 'status'],
    ['lower-case status pending', { status: 'pending' }, 'status'],
    ['a repeated status', { status: ['PENDING', 'CONFIRMED'] }, 'status'],
    ['a 201-character cursor', { cursor: 'c'.repeat(201) }, 'cursor'],
    ['an unknown parameter userId', { userId: '0b6a1f7e-7d0f-4b59-9a55-2b6c1d4c0f10' }, 'userId'],
  ])('rejects %s', async (_, query, field) => {
    await expectRejectedOn(query, asQuery, field);
  });
});

/*
 * The gateway validates with class-validator (its DTOs also describe the API in OpenAPI); the
 * services parse with the contract's schema. Both read the same constants; this holds them to
 * the same answers and the same field paths, so a client never gets past one and stopped by the other.
 */
describe('the gateway and the orders.place contract', () => {
  const onTheWire = (value: Record<string, unknown>) => ({ ...value, accessToken: 'token', idempotencyKey: 'key-1' });
  const contractRefusals = (value: Record<string, unknown>): string[] => {
    const result = OrdersRpc.place.request.safeParse(onTheWire(value));
    return result.success ? [] : [...new Set(result.error.issues.map((issue) => issue.path.join('.')))].sort();
  };
  const gatewayRefusals = async (value: Record<string, unknown>): Promise<string[]> =>
    pipe.transform(value, asBody).then(
      () => [],
      (error: unknown) => [...new Set((error as RequestValidationError).fields.map((f) => f.field))].sort(),
    );

  it.each([
    ['a valid body', body()],
    [
      'the upper bounds',
      body({
        items: Array.from({ length: 100 }, () =>
          item({ sku: 'x'.repeat(64), quantity: 10_000, unitPriceCents: 100_000_000 }),
        ),
      }),
    ],
    ['the lower bounds', body({ items: [item({ sku: 'a', quantity: 1, unitPriceCents: 1 })] })],
    ['an empty sku', body({ items: [item(), item({ sku: '' })] })],
    ['a 65-character sku', body({ items: [item({ sku: 'x'.repeat(65) })] })],
    ['a sku with a space', body({ items: [item({ sku: 'SKU 1' })] })],
    ['a numeric sku', body({ items: [item({ sku: 123 })] })],
    ['quantity 0', body({ items: [item({ quantity: 0 })] })],
    ['quantity 10001', body({ items: [item({ quantity: 10_001 })] })],
    ['quantity 1.5', body({ items: [item({ quantity: 1.5 })] })],
    ['quantity "3"', body({ items: [item({ quantity: '3' })] })],
    ['unitPriceCents 100000001', body({ items: [item(), item({ unitPriceCents: 100_000_001 })] })],
    ['no unitPriceCents', body({ items: [item({ unitPriceCents: undefined })] })],
    ['lower-case currency', body({ currency: 'usd' })],
    ['a numeric currency', body({ currency: 978 })],
    ['no items', body({ items: [] })],
    ['101 items', body({ items: Array.from({ length: 101 }, () => item()) })],
    ['items that are not an array', body({ items: item() })],
    ['an item that is not an object', body({ items: [item(), 'SKU-1'] })],
  ])('agree on %s', async (_, value) => {
    expect(await gatewayRefusals(value)).toEqual(contractRefusals(value));
  });
});
