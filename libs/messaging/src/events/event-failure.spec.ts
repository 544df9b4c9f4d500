import { describe, expect, it } from '@jest/globals';
import { eventFailure } from './event-failure.js';
import { PoisonMessageError } from './parse-event.js';

const options = {
  queue: 'users.events',
  maxAttempts: 3,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 1000,
  batchSize: 10,
  concurrency: 1,
};

/** What TypeORM throws when pg could not connect or got no answer in time. */
function unreachable(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { driverError: { code } } : {});
}

describe('eventFailure', () => {
  it('retries a failing handler with backoff, counting attempts, then dead-letters it', () => {
    expect(eventFailure(new Error('ledger says no'), 1, options)).toEqual({
      action: 'retry',
      reason: 'ledger says no',
      delayMs: 100,
      counts: true,
    });
    expect(eventFailure(new Error('ledger says no'), 3, options)).toMatchObject({
      action: 'dead-letter',
      cause: 'handler_failed',
    });
  });

  it('never dead-letters because the database could not be reached, however long it lasts', () => {
    for (const error of [
      unreachable('timeout exceeded when trying to connect'),
      unreachable('Query read timeout'),
      unreachable('connect ECONNREFUSED 127.0.0.1:5432'),
      unreachable('Connection terminated unexpectedly'),
      unreachable('terminating connection due to administrator command', '57P01'),
      unreachable('sorry, too many clients already', '53300'),
    ]) {
      expect(eventFailure(error, 3, options)).toMatchObject({ action: 'retry', counts: false });
      expect(eventFailure(error, 99, options)).toMatchObject({ action: 'retry', counts: false });
    }
  });

  it('counts a statement the database cancelled (statement_timeout): the event may be what is slow', () => {
    expect(
      eventFailure(unreachable('canceling statement due to statement timeout', '57014'), 3, options),
    ).toMatchObject({ action: 'dead-letter' });
  });

  it('dead-letters a message that breaks its contract at once', () => {
    expect(eventFailure(new PoisonMessageError('no userId', 'invalid'), 1, options)).toMatchObject({
      action: 'dead-letter',
      cause: 'invalid',
    });
  });
});
