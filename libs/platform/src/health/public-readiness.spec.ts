import { describe, expect, it } from '@jest/globals';
import type { HealthCheckResult } from '@nestjs/terminus';
import { publicReadiness } from './public-readiness.js';

describe('publicReadiness', () => {
  it('keeps which checks are down and drops why (driver errors, hosts, what start-up waits for)', () => {
    const result: HealthCheckResult = {
      status: 'error',
      info: { shutdown: { status: 'up' } },
      error: {
        'users.database': { status: 'down', message: 'connect ECONNREFUSED 10.0.3.7:5432' },
        startup: {
          status: 'down',
          waitingFor: { database: 'unreachable after 3 attempt(s): password authentication failed' },
        },
      },
      details: {
        shutdown: { status: 'up' },
        'users.database': { status: 'down', message: 'connect ECONNREFUSED 10.0.3.7:5432' },
        startup: {
          status: 'down',
          waitingFor: { database: 'unreachable after 3 attempt(s): password authentication failed' },
        },
      },
    };
    const shown = publicReadiness(result);
    expect(shown).toEqual({
      status: 'error',
      info: { shutdown: { status: 'up' } },
      error: { 'users.database': { status: 'down' }, startup: { status: 'down', waitingFor: { database: 'waiting' } } },
      details: {
        shutdown: { status: 'up' },
        'users.database': { status: 'down' },
        startup: { status: 'down', waitingFor: { database: 'waiting' } },
      },
    });
    expect(JSON.stringify(shown)).not.toMatch(/ECONNREFUSED|10\.0\.3\.7|password/);
  });
});
