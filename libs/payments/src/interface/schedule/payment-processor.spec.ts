import { describe, expect, it } from '@jest/globals';
import type { CommandBus } from '@nestjs/cqrs';
import type { DependencyGate } from '@app/platform';
import type { PaymentsOptions, ProcessorSignal } from '../../application/index.js';
import { PaymentProcessor } from './payment-processor.js';

const OPTIONS: PaymentsOptions = {
  processIntervalMs: 60_000,
  processBatch: 10,
  processConcurrency: 2,
  leaseMs: 5000,
  retryBaseMs: 200,
  retryMaxMs: 1000,
};

/** A command bus whose runs end when the test says, each answering how many payments it claimed. */
function scriptedRuns() {
  const pending: ((claimed: number) => void)[] = [];
  const bus = { execute: () => new Promise<number>((resolve) => pending.push(resolve)) } as unknown as CommandBus;
  return { bus, pending, started: () => pending.length };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

function startedProcessor(bus: CommandBus): { wake: () => void; processor: PaymentProcessor } {
  let listener: () => void = () => undefined;
  const signal = { listen: (fn: () => void) => (listener = fn), notifyAfterCommit: () => undefined };
  const gate = { whenOpen: (_: string, run: () => void) => run() } as unknown as DependencyGate;
  const processor = new PaymentProcessor(bus, signal as ProcessorSignal, OPTIONS, gate);
  processor.onApplicationBootstrap();
  return { wake: () => listener(), processor };
}

describe('PaymentProcessor', () => {
  it('starts another run for a payment requested while one waits on the provider, up to its concurrency', async () => {
    const runs = scriptedRuns();
    const { wake, processor } = startedProcessor(runs.bus);
    expect(runs.started()).toBe(1); // the first run at start
    wake();
    expect(runs.started()).toBe(2);
    wake(); // every run busy: remembered, not started
    expect(runs.started()).toBe(2);
    runs.pending[0]!(1);
    await settle();
    expect(runs.started()).toBe(3); // the remembered wake-up, as soon as a run ended
    runs.pending[1]!(0);
    runs.pending[2]!(0);
    await settle();
    expect(runs.started()).toBe(3); // nothing more asked for
    await processor.onApplicationShutdown();
  });

  it('runs again at once after a full batch: more may be due already', async () => {
    const runs = scriptedRuns();
    const { processor } = startedProcessor(runs.bus);
    runs.pending[0]!(OPTIONS.processBatch);
    await settle();
    expect(runs.started()).toBe(2);
    runs.pending[1]!(3);
    await settle();
    expect(runs.started()).toBe(2);
    await processor.onApplicationShutdown();
  });

  it('waits for the runs in flight at shutdown and starts none after', async () => {
    const runs = scriptedRuns();
    const { wake, processor } = startedProcessor(runs.bus);
    let stopped = false;
    const stopping = processor.onApplicationShutdown().then(() => (stopped = true));
    wake();
    await settle();
    expect({ started: runs.started(), stopped }).toEqual({ started: 1, stopped: false });
    runs.pending[0]!(OPTIONS.processBatch);
    await stopping;
    expect(runs.started()).toBe(1);
  });
});
