import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FaultHarness } from '../support/faults/fault-harness.js';
import { runScenario, settle, sleep } from '../support/faults/fault-scenario.js';
import { gracefulRestart } from '../support/faults/process-control.js';
import { RssSampler, rssMib } from '../support/faults/rss-sampler.js';

/*
 * Operations under load: every replica restarted in turn (a deploy), and a backlog of 5,000
 * orders waiting for users while it was stopped.
 */

describe('fault scenarios: restarts and backlog', () => {
  const harness = new FaultHarness();

  beforeAll(async () => {
    await harness.start();
  }, 180_000);

  afterAll(() => harness.stop(), 120_000);

  it('g. rolling restart of every replica under steady load: only clean 503s, nothing lost', async () => {
    let over = false;
    const { row } = await runScenario(harness, {
      name: 'g-rolling-restart',
      load: { orders: 100_000, concurrency: 8, stopWhen: () => over },
      fault: async ({ notes, healed }) => {
        await sleep(2000);
        const exits: Record<string, number | null> = {};
        // services first, the gateway last (it is alone: its clients see refused connections)
        for (const link of [...harness.of('users'), ...harness.of('orders'), ...harness.of('gateway')]) {
          exits[link.app.label] = await gracefulRestart(link.app);
          await sleep(1000);
        }
        notes.exitCodes = exits;
        healed();
        await sleep(3000);
        over = true;
      },
    });
    await settle(row, () => {
      expect(Object.values(row.notes.exitCodes as Record<string, number | null>).every((code) => code === 0)).toBe(
        true,
      );
      // 201, 503 (draining/unavailable) and refused connections while the one gateway restarts
      expect(Object.keys(row.answers).filter((status) => !['201', '503', '0'].includes(status))).toEqual([]);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 400_000);

  it('h. backlog: 5,000 orders placed while users is stopped, all final within 120 s of its start', async () => {
    const users = harness.of('users').map((link) => link.app);
    let sampler: RssSampler | null = null;
    const { row } = await runScenario(harness, {
      name: 'h-backlog-5000',
      load: { orders: 5000, concurrency: 32 },
      idleTimeoutMs: 180_000,
      beforeLoad: async ({ notes }) => {
        notes.rssBeforeMiB = users.map((app) => rssMib(app.pid));
        await Promise.all(users.map((app) => app.stop('SIGTERM')));
      },
      fault: async ({ loadDone, notes }) => {
        while (!loadDone()) await sleep(100);
        const started = Date.now();
        await Promise.all(users.map((app) => app.start(60_000)));
        notes.usersStartMs = Date.now() - started;
        sampler = new RssSampler(users);
      },
    });
    row.notes.rssPeakMiB = sampler!.stop();
    await settle(row, () => {
      expect(row.answers['201']).toBe(5000);
      expect(row.drainMs).not.toBeNull();
      expect(row.drainMs!).toBeLessThanOrEqual(120_000);
      expect(Math.max(...Object.values(row.notes.rssPeakMiB as Record<string, number>))).toBeLessThan(512);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 600_000);
});
