import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFileSync } from 'node:fs';
import type { AppProcess } from '../support/app-process.js';
import { FaultHarness } from '../support/faults/fault-harness.js';
import { FAULT_ROWS_DIR, runScenario, settle, sleep } from '../support/faults/fault-scenario.js';

/*
 * A consumer crashing again and again (npm run test:faults only: 50 s of load, kept out of CI's
 * time budget; scenario a stays in npm test). The gateway and two replicas each of users and
 * orders behind proxies of their own; after it nothing acknowledged is lost, nothing happens
 * twice, the saga's invariants hold, and queues, outboxes and dead letters are empty.
 */

/**
 * Starts a killed replica again; a start that fails at boot (the database or broker briefly
 * unreachable: apps do not yet wait for a dependency at start) is retried and counted.
 */
async function startPatiently(app: AppProcess, notes: Record<string, unknown>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await app.start(60_000);
      return;
    } catch (error) {
      notes.bootFailures = ((notes.bootFailures as number | undefined) ?? 0) + 1;
      appendFileSync(
        `${FAULT_ROWS_DIR}/b-consumer-sigkill.boot-failures.log`,
        `${app.label} attempt ${attempt}:\n${app.output.slice(-15).join('\n')}\n\n`,
      );
      if (attempt >= 3) throw error;
      if (app.running) await app.stop('SIGKILL');
    }
  }
}

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
      fault: async ({ notes }) => {
        const users = harness.of('users').map((link) => link.app);
        const restarts: Promise<void>[] = [];
        let kills = 0;
        // all 10 kills even if the load ends first (on a busy machine a restart takes longer)
        for (let i = 0; i < 10; i += 1) {
          await sleep(3000);
          const app = users[i % users.length]!;
          // never kill a replica still booting from its last kill: that is a failed start, not a crash
          await restarts.at(-2);
          await app.stop('SIGKILL');
          kills += 1;
          restarts.push(sleep(200).then(() => startPatiently(app, notes)));
        }
        await Promise.all(restarts);
        notes.kills = kills;
      },
    });
    await settle(row, () => {
      expect(row.notes.kills).toBe(10);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 300_000);
});
