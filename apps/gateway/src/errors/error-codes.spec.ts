import { describe, expect, it } from '@jest/globals';
import { CommonErrorCodes, OrdersErrorCodes, RPC_ERROR_KINDS, UsersErrorCodes } from '@app/contracts';
import { KIND_STATUS, remoteCodeStatus } from './error-codes.js';

describe('the HTTP status of a code a service answered with', () => {
  it('comes from its kind, for every code the contracts list', () => {
    for (const [code, kind] of Object.entries(RPC_ERROR_KINDS)) expect(remoteCodeStatus(code)).toBe(KIND_STATUS[kind]);
  });

  it.each([
    [CommonErrorCodes.validationFailed, 400],
    [CommonErrorCodes.unauthenticated, 401],
    [UsersErrorCodes.invalidCredentials, 401],
    [UsersErrorCodes.invalidRefreshToken, 401],
    [CommonErrorCodes.forbidden, 403],
    [UsersErrorCodes.userNotFound, 404],
    [OrdersErrorCodes.orderNotFound, 404],
    [UsersErrorCodes.emailTaken, 409],
    [OrdersErrorCodes.orderNotCancellable, 409],
    [OrdersErrorCodes.idempotencyKeyReused, 409],
    [CommonErrorCodes.concurrencyConflict, 409],
    [CommonErrorCodes.unavailable, 503],
    [CommonErrorCodes.internal, 500],
    // A service that has no handler for what the gateway sent: the deployment is wrong, not the request.
    [CommonErrorCodes.noHandler, 500],
  ])('%s is %i', (code, status) => {
    expect(remoteCodeStatus(code)).toBe(status);
  });

  it('is 500 for a code no contract lists (a renamed code is caught by libs/error-codes.spec.ts first)', () => {
    expect(remoteCodeStatus('SOMETHING_NEW')).toBe(500);
  });
});
