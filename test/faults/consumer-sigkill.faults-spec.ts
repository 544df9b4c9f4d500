import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FaultHarness } from '../support/faults/fault-harness.js';
import { runScenario, settle } from '../support/faults/fault-scenario.js';
import { killInTurn } from '../support/faults/replica-kills.js';

/*
 * A consumer crashing again and again (npm run test:faults only: 50 s of load, kept out of CI's
 * time budget; scenario a stays in npm test). The gateway and two replicas each of users and
 * orders behind proxies of their own; after it nothing acknowledged is lost, nothing happens
 * twice, the saga's invariants hold, and queues, outboxes and dead letters are empty.
 */

describe('fault scenarios: consumers', () => {
  const harness = new FaultHarness();

  beforeAll(async () => {
    await harness.start();
  }, 180_000);

  afterAll(() => harness.stop(), 120_000);

  it('b. a users replica SIGKILLed 10 times during 1,000 orders: no double reservation', async () => {
    const { row } = await runScenario(harness, {
      name: 'b-consumer-sigkill',
      // 20/s, 50 s of load: a kill every 3 s or so, the two users replicas in turn, each restarted at once
      load: { orders: 1000, concurrency: 32, ratePerSecond: 20 },
      fault: ({ notes }) =>
        killInTurn(
          harness.of('users').map((link) => link.app),
          notes,
          'b-consumer-sigkill',
        ),
    });
    await settle(row, () => {
      expect(row.notes.kills).toBe(10);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 300_000);
});
