import { describe, expect, it } from '@jest/globals';
import { CommonErrorCodes, OrdersRpc, UsersRpc } from '@app/contracts';
import { parseRpcRequest } from './parse-rpc-request.js';

const accessToken = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln';
const item = { sku: 'BOOK-42', quantity: 2, unitPriceCents: 1999 };
const order = { accessToken, idempotencyKey: 'key-1', currency: 'EUR', items: [item] };

describe('parseRpcRequest (the server edge, every transport)', () => {
  it('answers the parsed request, without the fields the definition does not know', () => {
    expect(parseRpcRequest(OrdersRpc.place, { ...order, userId: 'someone-else' })).toEqual({
      ok: true,
      request: order,
    });
  });

  it('refuses an invalid request with VALIDATION_FAILED, every offending field by its dotted path', () => {
    const answer = parseRpcRequest(OrdersRpc.place, {
      ...order,
      currency: 'eur',
      items: [
        { ...item, quantity: 0 },
        { ...item, sku: '' },
      ],
    });
    expect(answer).toEqual({
      ok: false,
      error: {
        code: CommonErrorCodes.validationFailed,
        message:
          'currency must be 3 upper-case letters (ISO 4217); items.0.quantity must be a whole number from 1 to 10000; ' +
          'items.1.sku must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" or "-"',
        details: {
          fields: [
            { field: 'currency', message: 'must be 3 upper-case letters (ISO 4217)' },
            { field: 'items.0.quantity', message: 'must be a whole number from 1 to 10000' },
            { field: 'items.1.sku', message: 'must be 1 to 64 characters of A-Z, a-z, 0-9, ".", "_" or "-"' },
          ],
        },
      },
    });
  });

  it('names a request that is not an object as the request itself', () => {
    const answer = parseRpcRequest(UsersRpc.register, null);
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.error.details).toEqual({ fields: [{ field: 'request', message: expect.any(String) }] });
  });

  it.each([
    ['no access token', { userId: '2e40b518-f03e-4c0a-92bb-d8654068a825' }],
    ['an empty one, and a bad id beside it', { accessToken: '', userId: 'x' }],
    ['one that is not a string', { accessToken: { role: 'admin' }, userId: '2e40b518-f03e-4c0a-92bb-d8654068a825' }],
  ])('refuses %s with UNAUTHENTICATED: who asks comes before what is asked', (_, request) => {
    expect(parseRpcRequest(UsersRpc.get, request)).toEqual({
      ok: false,
      error: { code: CommonErrorCodes.unauthenticated, message: 'this call needs the caller access token' },
    });
  });
});
