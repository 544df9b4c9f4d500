import { describe, expect, it } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { OrderLine } from './order-line.value-object.js';

const valid = { sku: 'SKU-1', quantity: 3, unitPriceCents: 1999 };

function fieldsOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).code).toBe('VALIDATION_FAILED');
    return (error as ValidationFailedError).details?.fields;
  }
  throw new Error('expected a validation error');
}

describe('OrderLine', () => {
  it('keeps its values and computes the line total', () => {
    const line = OrderLine.create(valid);
    expect(line.toPrimitives()).toEqual({ sku: 'SKU-1', quantity: 3, unitPriceCents: 1999 });
    expect(line.lineTotalCents).toBe(5997);
  });

  it('accepts every field at both of its bounds', () => {
    expect(OrderLine.create({ ...valid, sku: 'a' }).sku).toBe('a');
    expect(OrderLine.create({ ...valid, sku: 'Az09._-'.padEnd(64, 'x') }).sku).toHaveLength(64);
    expect(OrderLine.create({ ...valid, quantity: 1 }).quantity).toBe(1);
    expect(OrderLine.create({ ...valid, quantity: 10_000 }).quantity).toBe(10_000);
    expect(OrderLine.create({ ...valid, unitPriceCents: 1 }).unitPriceCents).toBe(1);
    expect(OrderLine.create({ ...valid, unitPriceCents: 100_000_000 }).unitPriceCents).toBe(100_000_000);
  });

  it('computes the largest line total exactly', () => {
    expect(OrderLine.create({ sku: 'X', quantity: 10_000, unitPriceCents: 100_000_000 }).lineTotalCents).toBe(
      1_000_000_000_000,
    );
  });

  it.each([
    ['an empty sku', { sku: '' }],
    ['a 65-character sku', { sku: 'x'.repeat(65) }],
    ['a sku with a space', { sku: 'SKU 1' }],
    ['a sku with a slash', { sku: 'SKU/1' }],
    ['a sku with a non-ASCII letter', { sku: 'café' }],
    ['a numeric sku', { sku: 42 }],
    ['a missing sku', { sku: undefined }],
  ])('rejects %s, naming items.i.sku', (_, change) => {
    expect(fieldsOf(() => OrderLine.create({ ...valid, ...change }, 2))).toEqual([
      { field: 'items.2.sku', message: expect.any(String) },
    ]);
  });

  it.each([
    ['0', 0],
    ['10001', 10_001],
    ['-1', -1],
    ['1.5', 1.5],
    ["the string '3'", '3'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['null', null],
  ])('rejects a quantity of %s, naming items.i.quantity', (_, quantity) => {
    expect(fieldsOf(() => OrderLine.create({ ...valid, quantity }, 0))).toEqual([
      { field: 'items.0.quantity', message: 'must be a whole number from 1 to 10000' },
    ]);
  });

  it.each([
    ['0', 0],
    ['100000001', 100_000_001],
    ['-5', -5],
    ['19.99', 19.99],
    ["the string '100'", '100'],
    ['NaN', Number.NaN],
  ])('rejects a unit price of %s, naming items.i.unitPriceCents', (_, unitPriceCents) => {
    expect(fieldsOf(() => OrderLine.create({ ...valid, unitPriceCents }, 7))).toEqual([
      { field: 'items.7.unitPriceCents', message: 'must be a whole number of cents from 1 to 100000000' },
    ]);
  });

  it('reports every invalid field at once', () => {
    const fields = fieldsOf(() => OrderLine.create({ sku: '', quantity: 0, unitPriceCents: 0 }, 1)) as {
      field: string;
    }[];
    expect(fields.map((f) => f.field)).toEqual(['items.1.sku', 'items.1.quantity', 'items.1.unitPriceCents']);
  });

  it('names fields without a path when no index is given', () => {
    expect(fieldsOf(() => OrderLine.create({ ...valid, quantity: 0 }))).toEqual([
      { field: 'quantity', message: expect.any(String) },
    ]);
  });

  it.each([[null], [undefined], ['SKU-1'], [[valid]]])('rejects the non-object %p, naming items.i', (raw) => {
    expect(fieldsOf(() => OrderLine.create(raw, 4))).toEqual([{ field: 'items.4', message: 'must be an object' }]);
  });
});
