import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { GatewayEnv } from './gateway/src/gateway.env.js';
import { MonolithEnv } from './monolith/src/monolith.env.js';
import { OrdersEnv } from './orders/src/orders.env.js';
import { PaymentsEnv } from './payments/src/payments.env.js';
import { UsersEnv } from './users/src/users.env.js';

/** Read by the tracing bootstrap straight from the environment (it runs before config exists). */
const OUTSIDE_THE_SCHEMAS = ['OTEL_EXPORTER_OTLP_ENDPOINT'];

function documented(): Map<string, string> {
  const lines = readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n');
  return new Map(
    lines
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
}

describe('.env.example', () => {
  const example = documented();
  const schemas = {
    gateway: new GatewayEnv(),
    users: new UsersEnv(),
    orders: new OrdersEnv(),
    payments: new PaymentsEnv(),
    monolith: new MonolithEnv(),
  };

  it.each(Object.entries(schemas))('lists every variable %s reads, with its default', (_, schema) => {
    for (const [name, value] of Object.entries(schema)) {
      expect({ name, documented: example.get(name) }).toEqual({
        name,
        documented: value === undefined ? '' : String(value),
      });
    }
  });

  it('lists nothing no app reads', () => {
    const read = new Set([...Object.values(schemas).flatMap((schema) => Object.keys(schema)), ...OUTSIDE_THE_SCHEMAS]);
    expect([...example.keys()].filter((name) => !read.has(name))).toEqual([]);
  });
});
