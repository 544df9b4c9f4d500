import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  CommonErrorCodes,
  OrdersErrorCodes,
  PaymentsErrorCodes,
  RPC_ERROR_KINDS,
  UsersErrorCodes,
} from '@app/contracts';
import * as ddd from '@app/ddd';
import { DomainError } from '@app/ddd';
import * as messaging from '@app/messaging';
import * as ordersApplication from './orders/src/application/index.js';
import * as ordersDomain from './orders/src/domain/index.js';
import * as paymentsApplication from './payments/src/application/index.js';
import * as paymentsDomain from './payments/src/domain/index.js';
import * as usersApplication from './users/src/application/index.js';
import * as usersDomain from './users/src/domain/index.js';

/*
 * Every code a service can answer with is part of the API: the contract lists it and gives it a
 * kind (the gateway's HTTP status, the gRPC status). A domain error whose code is renamed, or a
 * new one nobody listed, fails here instead of reaching a client as a 500.
 */

type ErrorClass = new (...args: unknown[]) => DomainError;

const common = Object.values(CommonErrorCodes);
/** Which codes each library may throw: its context's list and the common one. */
const SOURCES = [
  { name: 'ddd', dir: 'ddd', modules: [ddd], allowed: common },
  { name: 'messaging', dir: 'messaging', modules: [messaging], allowed: common },
  {
    name: 'users',
    dir: 'users',
    modules: [usersDomain, usersApplication],
    allowed: [...common, ...Object.values(UsersErrorCodes)],
  },
  {
    name: 'orders',
    dir: 'orders',
    modules: [ordersDomain, ordersApplication],
    allowed: [...common, ...Object.values(OrdersErrorCodes)],
  },
  {
    name: 'payments',
    dir: 'payments',
    modules: [paymentsDomain, paymentsApplication],
    allowed: [...common, ...Object.values(PaymentsErrorCodes)],
  },
];

function isErrorClass(value: unknown): value is ErrorClass {
  return typeof value === 'function' && value.prototype instanceof DomainError;
}

/** The code an error class throws with, read from an instance (the code is an instance field). */
function codeOf(errorClass: ErrorClass): string {
  return new errorClass('x', {}).code;
}

/** Names of the classes in a library's source (tests aside) that extend a DomainError, directly or not. */
function declaredErrorClasses(dir: string): string[] {
  const root = join(import.meta.dirname, dir, 'src');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file))
    .filter((file) => !file.split('/').includes('testing'));
  const extending = new Map<string, string>();
  for (const file of files) {
    const source = readFileSync(join(root, file), 'utf8');
    for (const [, name, parent] of source.matchAll(/class (\w+) extends (\w+)/g)) extending.set(name!, parent!);
  }
  const isDomainError = (name: string, seen = new Set<string>()): boolean => {
    const parent = extending.get(name);
    if (parent === undefined || seen.has(name)) return false;
    return parent === 'DomainError' || isDomainError(parent, seen.add(name));
  };
  return [...extending.keys()].filter((name) => isDomainError(name));
}

describe.each(SOURCES)('the errors of $name', ({ dir, modules, allowed }) => {
  const exported = new Map<string, ErrorClass>(
    modules.flatMap((module) =>
      Object.entries(module).filter((entry): entry is [string, ErrorClass] => isErrorClass(entry[1])),
    ),
  );

  it('are all exported, so this test sees every one of them', () => {
    const declared = declaredErrorClasses(dir);
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((name) => !exported.has(name))).toEqual([]);
  });

  it.each([...exported.entries()])('%s has a code the contract lists, with a kind', (_, errorClass) => {
    const code = codeOf(errorClass);
    expect(allowed).toContain(code);
    expect(RPC_ERROR_KINDS[code]).toBeDefined();
  });
});

describe('the contract lists of error codes', () => {
  const listed = [
    ...common,
    ...Object.values(UsersErrorCodes),
    ...Object.values(OrdersErrorCodes),
    ...Object.values(PaymentsErrorCodes),
  ];

  it('give every code a kind, and kinds to no code they do not list', () => {
    expect(listed.filter((code) => RPC_ERROR_KINDS[code] === undefined)).toEqual([]);
    expect(Object.keys(RPC_ERROR_KINDS).sort()).toEqual([...new Set(listed)].sort());
  });

  it('never list a code twice', () => {
    expect(new Set(listed).size).toBe(listed.length);
  });
});
