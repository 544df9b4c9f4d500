import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { registerUser, type TestUser } from '../saga-api.js';
import { assertSagaInvariants, waitForIdle, type InvariantOptions } from '../saga-invariants.js';
import { answerTally, clientOutcomes, recoveryMs, type ClientOutcomes } from './client-outcomes.js';
import type { FaultHarness } from './fault-harness.js';
import { LoadDriver, type LoadOptions, type Placement } from './load-driver.js';

/** Where each scenario leaves its row; scripts/fault-table.mjs prints them as one table. */
export const FAULT_ROWS_DIR = 'coverage/faults';

/** One line of the fault table. */
export interface ScenarioRow {
  scenario: string;
  placed: number;
  acknowledged: number;
  final: number;
  lost: number;
  duplicated: number;
  /** From the fault's end to the first placement answered 2xx after it; null: never, or no fault window. */
  recoveryMs: number | null;
  /** From the end of the load to an idle system (every order final, queues and outboxes empty). */
  drainMs: number | null;
  /** Every answer the clients got, by status ("0": network error or client timeout). */
  answers: Record<string, number>;
  /** 'ok', or what failed first. */
  verdict: string;
  /** Scenario-specific figures (detection time, RSS, replica shares, ...). */
  notes: Record<string, unknown>;
}

/** What a fault does while the load runs; resolves when the fault is over (healed). */
export type Fault = (context: FaultContext) => Promise<void>;

export interface FaultContext {
  harness: FaultHarness;
  driver: LoadDriver;
  /** True once every placement has its answer. */
  loadDone: () => boolean;
  /** Scenario-specific figures for the row. */
  notes: Record<string, unknown>;
  /** Marks the fault's end (recovery counts from here); by default, when the fault resolves. */
  healed: () => void;
}

export interface ScenarioSpec {
  name: string;
  load: LoadOptions;
  /** Users the orders are spread over (each placement goes to the next one). */
  users?: number;
  /** Runs after the scenario's users are registered and before the load (e.g. stop a service). */
  beforeLoad?: (context: FaultContext) => Promise<void>;
  fault?: Fault;
  /** Longest wait for the system to drain after the load. */
  idleTimeoutMs?: number;
  invariants?: InvariantOptions;
}

export interface ScenarioResult {
  row: ScenarioRow;
  outcomes: ClientOutcomes;
  placements: Placement[];
}

/**
 * Runs one scenario on a started harness: registers its users, drives the load while the fault
 * acts, waits for the system to drain, then checks the client's view and the saga's invariants.
 * The row is written before the checks run, so a failing scenario still shows its figures; the
 * checks then throw on the first violation.
 */
export async function runScenario(harness: FaultHarness, spec: ScenarioSpec): Promise<ScenarioResult> {
  const system = harness.system;
  const users: TestUser[] = await Promise.all(
    Array.from({ length: spec.users ?? 10 }, (_, i) => registerPatiently(harness, `${spec.name}-${i}`)),
  );
  const driver = new LoadDriver(system, users);
  const crashesBefore = harness.crashes().length;
  const notes: Record<string, unknown> = {};
  let done = false;
  let healedAt: number | null = null;
  const context: FaultContext = {
    harness,
    driver,
    loadDone: () => done,
    notes,
    healed: () => {
      healedAt ??= Date.now();
    },
  };
  await spec.beforeLoad?.(context);
  // A crash is written down at once (jest shows console output only when the file ends), and a
  // crash of the gateway ends the load: its clients would only retry into a closed port.
  let told = crashesBefore;
  const crashWatch = setInterval(() => {
    const crashes = harness.crashes();
    for (const crash of crashes.slice(told)) {
      mkdirSync(FAULT_ROWS_DIR, { recursive: true });
      appendFileSync(`${FAULT_ROWS_DIR}/${spec.name}.crashes.log`, `${JSON.stringify(crash, null, 2)}\n`);
    }
    told = crashes.length;
  }, 500);
  const gatewayCrashed = () =>
    harness
      .crashes()
      .slice(crashesBefore)
      .some((crash) => crash.label === 'gateway');
  const load = driver.run({ ...spec.load, abortWhen: gatewayCrashed }).finally(() => {
    done = true;
    clearInterval(crashWatch);
  });
  // A fault that fails (a replica that does not come back) is a finding for the row, not a reason
  // to lose the row: the load and the checks go on.
  let faultError: string | null = null;
  const fault = spec.fault
    ? spec.fault(context).then(
        () => {
          healedAt ??= Date.now();
        },
        (error: unknown) => {
          healedAt ??= Date.now();
          faultError = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
        },
      )
    : Promise.resolve();
  // A fault that throws must not leave a proxy broken for the drain and the next scenario.
  const [placements] = await Promise.all([load, fault.finally(() => harness.healAll())]);
  const loadEnded = Date.now();
  const crashed = harness.crashes().slice(crashesBefore);
  if (crashed.length > 0) {
    console.error(`${spec.name}: processes crashed:\n${JSON.stringify(crashed, null, 2)}`);
    notes.crashed = crashed.map((crash) => `${crash.label} (exit ${crash.code})`);
  }
  let drainMs: number | null = null;
  let verdict = 'ok';
  try {
    await waitForIdle(system, spec.idleTimeoutMs ?? 120_000);
    drainMs = Date.now() - loadEnded;
  } catch (error) {
    verdict = `not idle: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`;
  }
  if (faultError) {
    notes.faultError = faultError;
    verdict = verdict === 'ok' ? `the fault failed: ${faultError}` : verdict;
  }
  const outcomes = await clientOutcomes(system, placements);
  const row: ScenarioRow = {
    scenario: spec.name,
    placed: outcomes.placed,
    acknowledged: outcomes.acknowledged,
    final: outcomes.final,
    lost: outcomes.lost,
    duplicated: outcomes.duplicated,
    recoveryMs: healedAt === null ? null : recoveryMs(placements, healedAt),
    drainMs,
    answers: answerTally(placements),
    verdict,
    notes: { ...notes, unacknowledgedOrders: outcomes.unacknowledgedOrders },
  };
  writeRow(row);
  try {
    if (verdict !== 'ok') throw new Error(verdict);
    if (crashed.length > 0) throw new Error(`crashed: ${crashed.map((crash) => crash.label).join(', ')}`);
    if (outcomes.violations.length > 0) {
      throw new Error(`client outcomes:\n  ${outcomes.violations.slice(0, 20).join('\n  ')}`);
    }
    await assertSagaInvariants(system, spec.invariants);
  } catch (error) {
    writeRow({ ...row, verdict: `FAIL ${(error as Error).message.split('\n').slice(0, 2).join(' ')}`.slice(0, 200) });
    throw error;
  }
  return { row, outcomes, placements };
}

/**
 * Runs a scenario's own assertions on its row, then writes the row again with the notes added
 * since and a verdict that says whether they held.
 */
export async function settle(row: ScenarioRow, assertions: () => void | Promise<void>): Promise<void> {
  try {
    await assertions();
    writeRow(row);
  } catch (error) {
    const first = (error as Error).message.split('\n').filter(Boolean).slice(0, 3).join(' ');
    writeRow({ ...row, verdict: `FAIL ${first}`.slice(0, 200) });
    throw error;
  }
}

/** Registers a user, retrying while the system is still recovering from the previous scenario. */
async function registerPatiently(harness: FaultHarness, label: string): Promise<TestUser> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await registerUser(harness.system, label);
    } catch (error) {
      if (attempt >= 30) throw error;
      await sleep(1000);
    }
  }
}

/** Writes (or replaces) a scenario's row. */
export function writeRow(row: ScenarioRow): void {
  mkdirSync(FAULT_ROWS_DIR, { recursive: true });
  writeFileSync(`${FAULT_ROWS_DIR}/${row.scenario}.json`, `${JSON.stringify(row, null, 2)}\n`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
