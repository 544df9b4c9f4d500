import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FaultHarness } from '../support/faults/fault-harness.js';
import { runScenario, settle, sleep } from '../support/faults/fault-scenario.js';

/*
 * The fast fault scenario (it also runs in `npm test`): the gateway and two replicas each of
 * users and orders, every process behind proxies of its own, under 1,000 orders from careful
 * clients; its sibling b (consumer-sigkill.faults-spec.ts) runs with the full suite only. After each: nothing acknowledged is lost, nothing happens twice, the saga's invariants
 * hold, and queues, outboxes and dead letters are empty.
 */

describe('fault scenarios: broker links', () => {
  const harness = new FaultHarness();

  beforeAll(async () => {
    await harness.start();
  }, 180_000);

  afterAll(() => harness.stop(), 120_000);

  it('a. broker connections reset for 10 s during 1,000 orders', async () => {
    const { row } = await runScenario(harness, {
      name: 'a-broker-resets',
      // 50/s: the load outlasts the fault (unpaced, 1,000 orders take about 10 s)
      load: { orders: 1000, concurrency: 32, ratePerSecond: 50 },
      fault: async ({ driver, notes }) => {
        await sleep(4000);
        const began = Date.now();
        let resets = 0;
        while (Date.now() - began < 10_000) {
          // every link of every process cut at once; 2 s in the middle refused outright
          const refusing = Date.now() - began > 4000 && Date.now() - began < 6000;
          for (const proxy of harness.amqpProxies()) {
            if (refusing) proxy.refuse();
            else proxy.pass();
            proxy.resetAll();
          }
          resets += 1;
          await sleep(refusing ? 2000 : 500);
        }
        notes.resets = resets;
        notes.placedDuringFault = driver.placements.length;
      },
    });
    await settle(row, () => {
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
      expect(row.answers['500'] ?? 0).toBe(0);
    });
  }, 300_000);
});
