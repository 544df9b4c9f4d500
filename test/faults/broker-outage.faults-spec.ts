import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FaultHarness } from '../support/faults/fault-harness.js';
import { runScenario, settle, sleep } from '../support/faults/fault-scenario.js';
import { HealthWatch } from '../support/faults/process-control.js';

/*
 * The whole broker out of reach of every app, under careful clients that keep placing: first
 * refused (down: connections fail at once), then blackholed (hung: sockets open, no byte moves,
 * only the 5 s heartbeat can tell).
 */

const RPC_TIMEOUT_MS = 5000;

describe('fault scenarios: the broker gone', () => {
  const harness = new FaultHarness({ settings: { RPC_TIMEOUT_MS: String(RPC_TIMEOUT_MS) } });

  beforeAll(async () => {
    await harness.start();
  }, 180_000);

  afterAll(() => harness.stop(), 120_000);

  it('d. broker refused for 60 s: placements answer 503, nothing half-written, everything drains after', async () => {
    let over = false;
    let down = { from: 0, to: 0 };
    const { row, placements } = await runScenario(harness, {
      name: 'd-broker-down-60s',
      load: { orders: 100_000, concurrency: 8, stopWhen: () => over },
      fault: async ({ healed }) => {
        await sleep(3000);
        down = { from: Date.now(), to: 0 };
        for (const proxy of harness.amqpProxies()) proxy.refuse();
        await sleep(60_000);
        for (const proxy of harness.amqpProxies()) proxy.pass();
        healed();
        down.to = Date.now();
        await sleep(15_000);
        over = true;
      },
    });
    // What the clients were told while the broker was down (after a first second of in-flight calls).
    const during = placements
      .flatMap((placement) => placement.attempts)
      .filter((attempt) => attempt.at > down.from + 1000 && attempt.at + attempt.ms < down.to);
    const duringTally: Record<string, number> = {};
    for (const attempt of during) duringTally[attempt.status] = (duringTally[attempt.status] ?? 0) + 1;
    row.notes.answersWhileDown = duringTally;
    row.notes.slowestAnswerWhileDownMs = Math.max(0, ...during.map((attempt) => attempt.ms));
    await settle(row, () => {
      expect(Object.keys(duringTally).filter((status) => status !== '503')).toEqual([]);
      expect(row.answers['500'] ?? 0).toBe(0);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 400_000);

  it('e. broker blackholed 30 s: detected within 15 s, 503/504 within the deadline, recovered within 20 s', async () => {
    let over = false;
    let window = { from: 0, to: 0 };
    let watch: HealthWatch | null = null;
    const { row, placements } = await runScenario(harness, {
      name: 'e-broker-blackhole-30s',
      load: { orders: 100_000, concurrency: 8, stopWhen: () => over },
      fault: async ({ healed }) => {
        await sleep(3000);
        watch = new HealthWatch(harness.of().map((link) => link.app));
        window = { from: Date.now(), to: 0 };
        for (const proxy of harness.amqpProxies()) proxy.blackhole();
        await sleep(30_000);
        for (const proxy of harness.amqpProxies()) proxy.pass();
        healed();
        window.to = Date.now();
        await sleep(25_000);
        over = true;
      },
    });
    const timelines = await watch!.stop();
    const detection = Object.fromEntries(
      timelines.map((t) => [t.label, t.notReadyAt === null ? null : t.notReadyAt - window.from]),
    );
    const readyAgain = Object.fromEntries(
      timelines.map((t) => [t.label, t.readyAgainAt === null ? null : t.readyAgainAt - window.to]),
    );
    const during = placements
      .flatMap((placement) => placement.attempts)
      .filter((attempt) => attempt.at >= window.from && attempt.at < window.to);
    row.notes.detectionMs = detection;
    row.notes.readyAgainMs = readyAgain;
    row.notes.slowestAnswerWhileHungMs = Math.max(0, ...during.map((attempt) => attempt.ms));
    row.notes.clientTimeoutsWhileHung = during.filter((attempt) => attempt.status === 0).length;
    await settle(row, () => {
      expect(Object.values(detection).every((ms) => ms !== null && ms <= 15_000)).toBe(true);
      // the gateway answers (503/504) within its RPC deadline plus a margin, never hangs
      expect(row.notes.clientTimeoutsWhileHung).toBe(0);
      expect(row.notes.slowestAnswerWhileHungMs).toBeLessThanOrEqual(RPC_TIMEOUT_MS + 2000);
      expect(Object.values(readyAgain).every((ms) => ms !== null && ms <= 20_000)).toBe(true);
      expect(row.recoveryMs).not.toBeNull();
      expect(row.recoveryMs!).toBeLessThanOrEqual(20_000);
      expect(row.lost).toBe(0);
      expect(row.duplicated).toBe(0);
    });
  }, 400_000);
});
