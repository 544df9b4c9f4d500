import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

/** Something the app cannot work without (its database, its broker), and how to connect to it. */
export interface Dependency {
  name: string;
  /** Connects (and prepares: migrations, topology); rejects when it cannot yet. Called again until it succeeds. */
  connect: () => Promise<void>;
  /** For a dependency whose `connect` retries on its own (amqplib): why it is not up yet. */
  lastError?: () => string | null;
}

/** Work that needs every dependency: consumers, the outbox relay, timers, the first admin. */
interface StartStep {
  name: string;
  run: () => Promise<void> | void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 5000;

/** Ended by the shutdown while still waiting for a dependency. */
export class StartupAbortedError extends Error {
  constructor() {
    super('start-up aborted by the shutdown');
  }
}

/**
 * The start-up sequence of an app, in one place. An app serves HTTP (liveness, and readiness
 * saying what it waits for) before its dependencies answer, instead of exiting or never
 * opening its port: an orchestrator would restart it in a loop, and a dependency that is down
 * for a minute would take every app with it. So:
 *
 * 1. modules `require` their dependencies and register their `whenOpen` steps while the app is
 *    built (nothing connects yet);
 * 2. the host initialises the app (handlers registered), opens its HTTP port, then calls `open()`;
 * 3. `open()` connects every dependency, each retried with a backoff of 0.5 s doubling to 5 s
 *    and logged, until it answers; then runs the steps in registration order, so consumers
 *    and relays start only on a migrated database and a live broker, after every handler exists;
 * 4. a shutdown meanwhile ends the wait at once (`StartupAbortedError`).
 *
 * After that first connection, the pool and the broker connection reconnect on their own.
 */
@Injectable()
export class DependencyGate implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Startup');
  private readonly dependencies: Dependency[] = [];
  private readonly steps: StartStep[] = [];
  /** What each dependency not yet connected last failed with ('' while its first attempt runs). */
  private readonly waiting = new Map<string, { since: number; attempts: number; lastError: string }>();
  private state: 'building' | 'opening' | 'open' | 'closed' = 'building';
  private readonly abort = new AbortController();
  /** Rejects when the shutdown begins: a connect that retries on its own (amqplib) is not waited for. */
  private readonly aborted = new Promise<never>((_, reject) =>
    this.abort.signal.addEventListener('abort', () => reject(new StartupAbortedError())),
  );

  constructor() {
    this.aborted.catch(() => undefined); // nobody may be waiting when it fires
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Registers a dependency, connected by `open()`. */
  require(dependency: Dependency): void {
    this.assertBuilding(dependency.name);
    this.dependencies.push(dependency);
    this.waiting.set(dependency.name, { since: Date.now(), attempts: 0, lastError: '' });
  }

  /** Registers work to run once every dependency is up, after the steps registered before it. */
  whenOpen(name: string, run: () => Promise<void> | void): void {
    this.assertBuilding(name);
    this.steps.push({ name, run });
  }

  /**
   * Connects every dependency (each retried until it answers), then runs the start steps.
   * Rejects with `StartupAbortedError` if the app shuts down meanwhile, or with a step's error.
   */
  async open(): Promise<void> {
    if (this.state !== 'building') throw new Error(`the start-up gate is already ${this.state}`);
    this.state = 'opening';
    await Promise.all(this.dependencies.map((dependency) => this.connect(dependency)));
    for (const step of this.steps) {
      this.throwIfAborted();
      await Promise.race([step.run(), this.aborted]);
    }
    this.throwIfAborted();
    this.state = 'open';
    this.logger.log(`dependencies up (${this.dependencies.map((d) => d.name).join(', ') || 'none'}): started`);
  }

  /** Readiness: what the app is still waiting for, or nothing once it is open. */
  status(): { open: true } | { open: false; waitingFor: Record<string, string> } {
    if (this.state === 'open') return { open: true };
    const waitingFor: Record<string, string> = {};
    for (const dependency of this.dependencies) {
      const entry = this.waiting.get(dependency.name);
      if (!entry) continue;
      const { since, attempts } = entry;
      const lastError = entry.lastError || dependency.lastError?.() || '';
      const seconds = Math.round((Date.now() - since) / 1000);
      waitingFor[dependency.name] =
        `${attempts === 0 ? 'connecting' : `unreachable after ${attempts} attempt(s)`} for ${seconds} s` +
        (lastError ? `: ${lastError}` : '');
    }
    if (this.waiting.size === 0) waitingFor.start = 'starting consumers';
    return { open: false, waitingFor };
  }

  /** Stops waiting: a shutdown must not wait for a database that may never come. */
  beforeApplicationShutdown(): void {
    if (this.state !== 'open') this.state = 'closed';
    this.abort.abort();
  }

  private async connect(dependency: Dependency): Promise<void> {
    const entry = this.waiting.get(dependency.name)!;
    let delay = FIRST_RETRY_MS;
    for (;;) {
      this.throwIfAborted();
      try {
        await Promise.race([dependency.connect(), this.aborted]);
        this.waiting.delete(dependency.name);
        if (entry.attempts > 0) {
          this.logger.log(`${dependency.name} is up after ${entry.attempts + 1} attempts`);
        }
        return;
      } catch (error) {
        this.throwIfAborted();
        entry.attempts += 1;
        entry.lastError = error instanceof Error ? error.message : String(error);
        // Every attempt at first, then every tenth: a dependency down for an hour does not flood the logs.
        if (entry.attempts <= 3 || entry.attempts % 10 === 0) {
          this.logger.warn(
            `waiting for ${dependency.name} (attempt ${entry.attempts}, next in ${delay} ms): ${entry.lastError}`,
          );
        }
      }
      await this.sleep(delay);
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done);
    });
  }

  private throwIfAborted(): void {
    if (this.abort.signal.aborted) throw new StartupAbortedError();
  }

  private assertBuilding(name: string): void {
    if (this.state !== 'building') throw new Error(`${name}: registered after the start-up gate opened`);
  }
}
