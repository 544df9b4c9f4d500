import { describe, expect, it, jest } from '@jest/globals';
import { ValidationFailedError } from '@app/ddd';
import { toRpcErrorBody } from './rpc-error-body.js';

const logger = { log: jest.fn(), error: jest.fn(), warn: jest.fn() };

/** What pg raises: an Error carrying a SQLSTATE `code` (and a message with internals). */
function driverError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}

describe('toRpcErrorBody', () => {
  it('keeps a domain error’s code, message and details', () => {
    expect(toRpcErrorBody(new ValidationFailedError('bad', { field: 'x' }), logger)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'bad',
      details: { field: 'x' },
    });
  });

  it('passes a body RpcErrorFilter already made', () => {
    expect(toRpcErrorBody({ code: 'USER_NOT_FOUND', message: 'no such user' }, logger)).toEqual({
      code: 'USER_NOT_FOUND',
      message: 'no such user',
    });
  });

  it('hides a driver error that merely has a code: INTERNAL_ERROR, never its SQLSTATE or text', () => {
    const body = toRpcErrorBody(driverError('23505', 'duplicate key value violates "users_pkey"'), logger);
    expect(body).toEqual({ code: 'INTERNAL_ERROR', message: 'internal error' });
  });

  it.each([
    [
      'a server shutting down its connections',
      driverError('57P01', 'terminating connection due to administrator command'),
    ],
    ['a connection that dropped', new Error('Connection terminated unexpectedly')],
    ['a pool client that broke', new Error('Client has encountered a connection error and is not queryable')],
    ['too many connections', driverError('53300', 'sorry, too many clients already')],
  ])('answers %s as SERVICE_UNAVAILABLE (retryable)', (_, error) => {
    expect(toRpcErrorBody(error, logger).code).toBe('SERVICE_UNAVAILABLE');
  });
});
