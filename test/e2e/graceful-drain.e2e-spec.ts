import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppProcess } from '../support/app-process.js';
import {
  assertSagaInvariants,
  placeOrder,
  registerUser,
  waitForIdle,
  type TestUser,
} from '../support/saga-invariants.js';
import { SystemUnderTest } from '../support/system-under-test.js';

/*
 * Graceful shutdown under load. A steady stream of order placements runs through the gateway
 * while one replica of a service gets SIGTERM: its readiness must turn 503 at once, it must
 * exit 0 within SHUTDOWN_TIMEOUT_MS, the gateway must answer every placement 201 (or a clean
 * 503), and once it is back and the system idle, the saga's invariants must hold. Then a drain
 * cut short (second signal, SHUTDOWN_TIMEOUT_MS): exit 1 at once; and SIGKILL (no drain at
 * all). In both, the broker redelivers what was unacked and the inbox absorbs duplicates.
 */

const SHUTDOWN_TIMEOUT_MS = 10_000;
const STREAM_MS = 6000;
const SIGNAL_AFTER_MS = 2000;
const CLIENTS = 5;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface StreamResult {
  sent: number;
  byStatus: Record<string, number>;
  /** Answers other than 201 and a clean 503 (status and body), and transport errors. */
  unexpected: string[];
}

/** `clients` loops placing small orders back to back for `durationMs`, round-robin over `users`. */
async function orderStream(system: SystemUnderTest, users: TestUser[], durationMs: number): Promise<StreamResult> {
  const endAt = Date.now() + durationMs;
  const result: StreamResult = { sent: 0, byStatus: {}, unexpected: [] };
  const count = (status: string) => (result.byStatus[status] = (result.byStatus[status] ?? 0) + 1);
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let i = 0; Date.now() < endAt; i++) {
        const user = users[(client + i) % users.length]!;
        result.sent++;
        try {
          const answer = await placeOrder(system, user.token, { totalCents: 1 + (i % 9) });
          count(String(answer.status));
          const clean503 = answer.status === 503 && answer.body.code === 'SERVICE_UNAVAILABLE';
          if (answer.status !== 201 && !clean503) result.unexpected.push(`${answer.status} ${answer.text}`);
        } catch (error) {
          count('error');
          result.unexpected.push(`request failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }),
  );
  return result;
}

interface ReadinessWatch {
  /** ms from the signal to the first 503 of /health/ready, or null if none was seen. */
  first503Ms: number | null;
  /**
   * Who answered that 503: 'readiness' (the health check, ShutdownState flipped) or 'closing'
   * (Fastify, once app.close() began: return503OnClosing).
   */
  by: 'readiness' | 'closing' | null;
  /** What each poll saw, `<ms after the signal>:<status or "refused">`. */
  samples: string[];
}

/**
 * Sends GET `/health/ready` every 50 ms from `since` (without waiting for the previous answer:
 * a busy app answers slowly) until one answers 503 or is refused (the HTTP server closed), for
 * at most `timeoutMs`.
 */
async function watchReadiness(app: AppProcess, since: number, timeoutMs = 2000): Promise<ReadinessWatch> {
  const answers: { at: number; status: number; text: string }[] = [];
  const polls: Promise<void>[] = [];
  let done = false;
  while (!done && Date.now() - since < timeoutMs) {
    polls.push(
      fetch(app.healthUrl, { signal: AbortSignal.timeout(1000) })
        .then(
          async (response) => ({ status: response.status, text: await response.text() }),
          () => ({ status: 0, text: '' }),
        )
        .then(({ status, text }) => {
          answers.push({ at: Date.now() - since, status, text });
          if (status === 503 || status === 0) done = true;
        }),
    );
    await sleep(50);
  }
  await Promise.all(polls);
  answers.sort((a, b) => a.at - b.at);
  const first503 = answers.find((answer) => answer.status === 503);
  return {
    first503Ms: first503?.at ?? null,
    by: first503 ? (first503.text.includes('shutting down') ? 'readiness' : 'closing') : null,
    samples: answers.map((answer) => `${answer.at}:${answer.status || 'refused'}`),
  };
}

/** ms from `since` to the app's "<signal> received" log line (its signal handler ran). */
function handlerLatency(app: AppProcess, fromLine: number, since: number): number | null {
  for (const line of app.output.slice(fromLine)) {
    try {
      const entry = JSON.parse(line) as { time?: number; msg?: string };
      if (entry.msg?.startsWith('SIGTERM received') && entry.time) return entry.time - since;
    } catch {
      // not a log line
    }
  }
  return null;
}

/**
 * KNOWN, harmless: AmqpRpcServer.close() closes its own channel, and AmqpConnection takes any
 * channel close while it is itself open for the broker's doing (it logs this and schedules a
 * re-setup, which finds the server stopped and does nothing).
 */
const KNOWN_WARNING = 'a channel was closed by the broker; reopening it';

/** Error and warning lines an app logged from `fromLine` on (pino levels 40 and up). */
function warningsOf(app: AppProcess, fromLine: number): string[] {
  return app.output.slice(fromLine).filter((line) => {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string };
      return (entry.level ?? 0) >= 40 && entry.msg !== KNOWN_WARNING;
    } catch {
      return true; // not a log line: a crash or a stack trace
    }
  });
}

interface DrainFigures {
  stream: StreamResult;
  exitCode: number | null;
  drainMs: number;
  readiness: ReadinessWatch;
  /** Signal sent -> the app logged it (its handler ran, readiness flipped). */
  handlerMs: number | null;
  shutdownWarnings: string[];
  outputSinceSignal: string[];
}

/** Streams placements, SIGTERMs `target` mid-stream, waits for the stream to end, restarts `target`. */
async function drainMidStream(system: SystemUnderTest, target: AppProcess, users: TestUser[]): Promise<DrainFigures> {
  const streaming = orderStream(system, users, STREAM_MS);
  await sleep(SIGNAL_AFTER_MS);
  const fromLine = target.output.length;
  const signalledAt = Date.now();
  target.signal('SIGTERM');
  const readiness = watchReadiness(target, signalledAt);
  const exit = await target.waitForExit(SHUTDOWN_TIMEOUT_MS + 5000);
  const figures: DrainFigures = {
    stream: await streaming,
    exitCode: exit.code,
    drainMs: exit.elapsedMs,
    readiness: await readiness,
    handlerMs: handlerLatency(target, fromLine, signalledAt),
    shutdownWarnings: warningsOf(target, fromLine),
    outputSinceSignal: target.output.slice(fromLine, fromLine + 60),
  };
  await target.start();
  return figures;
}

function report(label: string, figures: DrainFigures): void {
  const { stream } = figures;
  console.log(
    `${label}: ${stream.sent} placements sent by ${CLIENTS} clients in ${STREAM_MS} ms, ` +
      `${stream.byStatus['201'] ?? 0} answered 201, ${stream.byStatus['503'] ?? 0} 503 ` +
      `(all: ${JSON.stringify(stream.byStatus)}); exit code ${figures.exitCode}, ` +
      `drain (SIGTERM -> exit) ${figures.drainMs} ms; signal handled after ${figures.handlerMs} ms, ` +
      `readiness 503 after ${figures.readiness.first503Ms} ms (by ${figures.readiness.by}; ` +
      `polls ${figures.readiness.samples.join(' ')}); warnings while draining: ${figures.shutdownWarnings.length}` +
      (figures.shutdownWarnings.length > 0 ? `\n  ${figures.shutdownWarnings.slice(0, 10).join('\n  ')}` : '') +
      (figures.exitCode === 0 ? '' : `\n  its output since the signal:\n  ${figures.outputSinceSignal.join('\n  ')}`),
  );
}

/** `readinessDelayMs`: the replica's SHUTDOWN_READINESS_DELAY_MS. */
function expectCleanDrain(figures: DrainFigures, readinessDelayMs: number): void {
  expect(figures.readiness.first503Ms).not.toBeNull();
  expect(figures.readiness.first503Ms!).toBeLessThanOrEqual(1000);
  // the readiness check itself said so (ShutdownState flipped on the signal), not Fastify closing
  expect(figures.readiness.by).toBe('readiness');
  expect(figures.drainMs).toBeGreaterThanOrEqual(readinessDelayMs);
  expect(figures.exitCode).toBe(0);
  expect(figures.drainMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  expect(figures.stream.unexpected).toEqual([]);
  expect(figures.stream.byStatus['201'] ?? 0).toBeGreaterThan(0);
  // nothing closed under work still running (a connection or pool gone mid-transaction, a lost ack)
  expect(figures.shutdownWarnings).toEqual([]);
}

describe(`graceful drain (SHUTDOWN_TIMEOUT_MS=${SHUTDOWN_TIMEOUT_MS})`, () => {
  const system = new SystemUnderTest({
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    SHUTDOWN_READINESS_DELAY_MS: '0',
    // room for thousands of small orders per user: every placement is CONFIRMED
    CREDIT_LIMIT_DEFAULT_CENTS: '100000000',
  });
  let users: TestUser[];

  beforeAll(async () => {
    await system.start(['users', 'orders', 'payments', 'gateway']);
    users = await Promise.all([1, 2, 3, 4, 5].map((i) => registerUser(system, `drain-${i}`)));
  }, 90_000);

  afterAll(() => system.stop(), 90_000);

  it('drains an orders replica on SIGTERM mid-stream: readiness 503 at once, exit 0, no failed request, nothing lost', async () => {
    // A short readiness delay (4 polls): with none, the app may close its HTTP server before a
    // 50 ms poll sees the 503 (seen once: drain 100 ms, polls 61:200 89:refused).
    const delayMs = 200;
    const second = await system.addReplica('orders', { SHUTDOWN_READINESS_DELAY_MS: String(delayMs) });
    const figures = await drainMidStream(system, second, users);
    report(`orders replica SIGTERMed (SHUTDOWN_READINESS_DELAY_MS=${delayMs})`, figures);
    expectCleanDrain(figures, delayMs);
    await waitForIdle(system, 60_000);
    await assertSagaInvariants(system);
  }, 120_000);

  it('drains a users replica on SIGTERM mid-stream: every order still settles', async () => {
    const delayMs = 500;
    const second = await system.addReplica('users', { SHUTDOWN_READINESS_DELAY_MS: String(delayMs) });
    const figures = await drainMidStream(system, second, users);
    report(`users replica SIGTERMed (SHUTDOWN_READINESS_DELAY_MS=${delayMs})`, figures);
    expectCleanDrain(figures, delayMs);
    await waitForIdle(system, 60_000);
    await assertSagaInvariants(system);
  }, 120_000);

  it('cuts a drain short on a second signal or at SHUTDOWN_TIMEOUT_MS (exit 1): nothing is lost', async () => {
    // A long readiness delay keeps each replica working after the SIGTERM, so it is cut short mid-work.
    const cases: { label: string; overrides: Record<string, string>; second: boolean }[] = [
      { label: 'SIGTERM then SIGINT', overrides: { SHUTDOWN_READINESS_DELAY_MS: '5000' }, second: true },
      {
        label: 'SHUTDOWN_TIMEOUT_MS=1000 elapsed',
        overrides: { SHUTDOWN_READINESS_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '1000' },
        second: false,
      },
    ];
    for (const { label, overrides, second } of cases) {
      const replica = await system.addReplica('orders', overrides);
      const streaming = orderStream(system, users, 4000);
      await sleep(SIGNAL_AFTER_MS);
      replica.signal('SIGTERM');
      if (second) {
        await sleep(300);
        replica.signal('SIGINT');
      }
      const exit = await replica.waitForExit(5000);
      const stream = await streaming;
      console.log(
        `orders replica, ${label}: exit code ${exit.code} after ${exit.elapsedMs} ms; ${stream.sent} placements ` +
          `sent, ${stream.byStatus['201'] ?? 0} answered 201 (all: ${JSON.stringify(stream.byStatus)})`,
      );
      expect(exit.code).toBe(1);
      expect(exit.elapsedMs).toBeLessThan(second ? 1000 : 2000);
      expect(stream.unexpected).toEqual([]);
    }
    await waitForIdle(system, 60_000);
    await assertSagaInvariants(system);
  }, 120_000);

  it('loses nothing and applies nothing twice when the only users process is SIGKILLed mid-stream', async () => {
    // back to one users process: the SIGKILLed one holds every in-flight event
    for (const replica of system.instances('users').slice(1)) expect(await replica.stop()).toBe(0);
    const target = system.app('users');
    const streaming = orderStream(system, users, STREAM_MS);
    await sleep(SIGNAL_AFTER_MS);
    target.signal('SIGKILL');
    const exit = await target.waitForExit(5000);
    await sleep(500);
    await target.start();
    const stream = await streaming;
    console.log(
      `users SIGKILLed mid-stream (exit ${exit.code ?? exit.signal}): ${stream.sent} placements sent, ` +
        `${stream.byStatus['201'] ?? 0} answered 201 (all: ${JSON.stringify(stream.byStatus)})`,
    );
    expect(exit.signal).toBe('SIGKILL');
    // placing an order does not need users: the gateway answers every one
    expect(stream.unexpected).toEqual([]);
    await waitForIdle(system, 60_000);
    await assertSagaInvariants(system);
  }, 120_000);
});
