import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadSync } from '@grpc/proto-loader';
import { z } from 'zod';
import { defineRpc, type AnyRpcDefinition } from '@app/contracts';
import { protoSourceOf } from './proto-source.js';

const rpc = (request: z.ZodType, response: z.ZodType = z.null()): AnyRpcDefinition[] => [
  defineRpc({ service: 'orders', name: 'orders.test', grpcMethod: 'Test', request, response, idempotent: false }),
];

/** The number of each field of the request message, as the .proto says. */
function numbersOf(source: string, message = 'TestRequest'): Record<string, number> {
  const block = new RegExp(`message ${message} \\{([^}]*)\\}`).exec(source)![1]!;
  return Object.fromEntries([...block.matchAll(/ (\w+) = (\d+);/g)].map((m) => [m[1]!, Number(m[2])]));
}

describe('protoSourceOf', () => {
  it('writes proto3 with optional presence, int32 for bounded and int64 for wide integers, enums as strings', () => {
    const source = protoSourceOf(
      'orders',
      rpc(
        z.object({
          id: z.string(),
          limit: z.int().min(1).max(100).optional(),
          cents: z.int().min(0),
          status: z.enum(['PENDING', 'DONE']),
          note: z.string().nullable(),
          lines: z.array(z.object({ sku: z.string(), paid: z.boolean() })),
        }),
      ),
      null,
    );
    expect(source).toContain('syntax = "proto3";');
    expect(source).toContain('package order;');
    expect(source).toContain('rpc Test (TestRequest) returns (TestResponse);');
    expect(source).toContain('  string id = 1;');
    expect(source).toContain('  optional int32 limit = 2;');
    expect(source).toContain('  int64 cents = 3;');
    expect(source).toContain('  string status = 4; // one of: PENDING, DONE');
    expect(source).toContain('  optional string note = 5; // absent means null');
    expect(source).toContain('  repeated Line lines = 6;');
    expect(source).toContain('    bool paid = 2;');
  });

  it('loads in proto-loader', () => {
    const source = protoSourceOf('orders', rpc(z.object({ a: z.string(), b: z.array(z.int()) })), null);
    const path = join(mkdtempSync(join(tmpdir(), 'proto-')), 'order.proto');
    writeFileSync(path, source);
    expect(Object.keys(loadSync(path))).toEqual(
      expect.arrayContaining(['order.OrderService', 'order.TestRequest', 'order.TestResponse']),
    );
  });

  it('keeps every number when the schema lists its keys in another order', () => {
    const first = protoSourceOf('orders', rpc(z.object({ a: z.string(), b: z.int(), c: z.boolean() })), null);
    const reordered = protoSourceOf('orders', rpc(z.object({ c: z.boolean(), a: z.string(), b: z.int() })), first);
    expect(reordered).toBe(first);
  });

  it('gives a new field the next number and reserves a removed one, number and name', () => {
    const first = protoSourceOf('orders', rpc(z.object({ a: z.string(), b: z.string() })), null);
    const second = protoSourceOf('orders', rpc(z.object({ a: z.string(), c: z.string() })), first);
    expect(numbersOf(second)).toEqual({ a: 1, c: 3 });
    expect(second).toContain('  reserved 2;');
    expect(second).toContain('  reserved "b";');
    // b back later: a new number, never its old one.
    const third = protoSourceOf('orders', rpc(z.object({ a: z.string(), b: z.string(), c: z.string() })), second);
    expect(numbersOf(third)).toEqual({ a: 1, c: 3, b: 4 });
    expect(third).toContain('  reserved 2;');
    expect(third).not.toContain('reserved "b"');
  });

  it('moves a field whose type changed to a new number, reserving the old one', () => {
    const first = protoSourceOf('orders', rpc(z.object({ a: z.string(), n: z.string() })), null);
    const second = protoSourceOf('orders', rpc(z.object({ a: z.string(), n: z.int() })), first);
    expect(numbersOf(second)).toEqual({ a: 1, n: 3 });
    expect(second).toContain('  reserved 2;');
  });

  it('numbers nested messages from the lock too', () => {
    const first = protoSourceOf(
      'orders',
      rpc(z.object({ items: z.array(z.object({ x: z.string(), y: z.int() })) })),
      null,
    );
    const second = protoSourceOf(
      'orders',
      rpc(z.object({ items: z.array(z.object({ z: z.boolean(), y: z.int() })) })),
      first,
    );
    expect(numbersOf(second, 'Item')).toEqual({ y: 2, z: 3 });
  });

  it.each([
    ['a record', z.object({ r: z.record(z.string(), z.string()) })],
    ['a union of two types', z.object({ u: z.union([z.string(), z.int()]) })],
    ['a nullable list', z.object({ l: z.array(z.string()).nullable() })],
    ['a list of lists', z.object({ l: z.array(z.array(z.string())) })],
    ['a number enum', z.object({ e: z.literal([1, 2]) })],
    ['a top-level string', z.string()],
  ])('refuses %s, naming the field', (_, schema) => {
    expect(() => protoSourceOf('orders', rpc(schema), null)).toThrow(/TestRequest/);
  });

  it('refuses a field name protobuf would not give back unchanged', () => {
    expect(() => protoSourceOf('orders', rpc(z.object({ user_id: z.string() })), null)).toThrow(/user_id/);
  });
});
