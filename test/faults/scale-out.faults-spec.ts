import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppProcess } from '../support/app-process.js';
import { FaultHarness } from '../support/faults/fault-harness.js';
import { runScenario, settle } from '../support/faults/fault-scenario.js';

/*
 * Scale-out figures, no fault: the saga's throughput (1,000 orders placed as fast as 32 clients
 * can, until the last is final) with one replica of users and orders, then with two, and the
 * share of the messages (events consumed + RPC requests served) each replica took.
 */

/** Events consumed plus RPC requests served by one process so far, from its /metrics. */
async function messagesHandled(app: AppProcess): Promise<number> {
  const text = await fetch(app.metricsUrl).then((response) => response.text());
  let sum = 0;
  for (const line of text.split('\n')) {
    if (/^(messages_consumed_total|rpc_server_duration_seconds_count)\{/.test(line)) {
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return sum;
}

describe('fault scenarios: scale-out', () => {
  const harness = new FaultHarness();
  const secondReplicas = () => [harness.of('users')[1]!.app, harness.of('orders')[1]!.app];

  beforeAll(async () => {
    await harness.start();
  }, 180_000);

  afterAll(() => harness.stop(), 120_000);

  for (const replicas of [1, 2]) {
    it(`j. saga throughput with ${replicas} replica(s) of users and orders`, async () => {
      for (const app of secondReplicas()) {
        if (replicas === 1 && app.running) await app.stop('SIGTERM');
        if (replicas === 2 && !app.running) await app.start(60_000);
      }
      const services = [...harness.of('users'), ...harness.of('orders')]
        .map((link) => link.app)
        .filter((app) => app.running);
      const before = await Promise.all(services.map(messagesHandled));
      const { row, placements } = await runScenario(harness, {
        name: `j-scale-out-${replicas}x`,
        load: { orders: 1000, concurrency: 32 },
      });
      // from the first placement to the last order final (the last answer, then the drain)
      const attempts = placements.flatMap((placement) => placement.attempts);
      const began = Math.min(...attempts.map((attempt) => attempt.at));
      const lastAnswer = Math.max(...attempts.map((attempt) => attempt.at + attempt.ms));
      const sagaMs = lastAnswer + (row.drainMs ?? 0) - began;
      const handled = (await Promise.all(services.map(messagesHandled))).map((n, i) => n - before[i]!);
      const total = handled.reduce((a, b) => a + b, 0);
      row.notes.sagaOrdersPerSecond = Math.round((row.final * 1000) / sagaMs);
      row.notes.share = Object.fromEntries(
        services.map((app, i) => [app.label, `${Math.round((100 * handled[i]!) / Math.max(1, total))}%`]),
      );
      await settle(row, () => {
        expect(row.final).toBe(1000);
        expect(row.lost).toBe(0);
        expect(row.duplicated).toBe(0);
      });
    }, 300_000);
  }
});
