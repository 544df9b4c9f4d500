import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The apps of the microservices shape. */
export type ServiceName = 'gateway' | 'users' | 'orders' | 'payments';
export type AppName = ServiceName | 'monolith';

/** How a process ended, and how long after the last `signal()` (or `stop()`) it did. */
export interface AppExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the last signal sent to the exit; NaN when no signal was sent. */
  elapsedMs: number;
}

/**
 * One app of the system as a real process, started from its build (`npm run build`), as
 * production runs it. Keeps its output for assertions and for diagnosis when a test fails.
 */
export class AppProcess {
  readonly output: string[] = [];
  /** Exits no one asked for (no signal sent, no stop()): a crash, with the last lines written. */
  readonly crashes: { at: number; code: number | null; signal: NodeJS.Signals | null; lastLines: string[] }[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<AppExit> = Promise.resolve({ code: null, signal: null, elapsedMs: Number.NaN });
  private signalledAt: number | null = null;

  /**
   * `label`: how logs and errors name it ("orders#2" for a second replica); the app's name by default.
   */
  constructor(
    readonly name: AppName,
    readonly healthUrl: string,
    private readonly env: Record<string, string>,
    readonly label: string = name,
  ) {}

  /** This app's environment (a copy), e.g. to start another replica of it. */
  get environment(): Record<string, string> {
    return { ...this.env };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts the process and waits until `/health/ready` answers 200, or with `until: 'live'` only
   * until `/health/live` does (an app started while a dependency is down).
   */
  async start(timeoutMs = 30_000, until: 'ready' | 'live' = 'ready'): Promise<void> {
    const entry = `dist/apps/${this.name}/main.js`;
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    if (this.running) throw new Error(`${this.label} is already running`);
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.signalledAt = null;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        if (this.signalledAt === null) {
          this.crashes.push({ at: Date.now(), code, signal, lastLines: this.output.slice(-25) });
        }
        const elapsedMs = this.signalledAt === null ? Number.NaN : Date.now() - this.signalledAt;
        resolve({ code, signal, elapsedMs });
      }),
    );
    const collect = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    await this.waitUntilReady(timeoutMs, until === 'live' ? this.liveUrl : this.healthUrl);
  }

  /** The app's `/health/live`, beside its `/health/ready`. */
  get liveUrl(): string {
    return this.healthUrl.replace(/\/health\/ready$/, '/health/live');
  }

  /**
   * Where the app serves /metrics and the detailed /health (reasons shown): MANAGEMENT_PORT for
   * the gateway and the monolith, whose own port is public; the app's port for users, orders and payments.
   */
  get managementUrl(): string {
    if (this.name === 'users' || this.name === 'orders' || this.name === 'payments') {
      return new URL(this.healthUrl).origin;
    }
    const port = this.env.MANAGEMENT_PORT;
    if (!port) throw new Error(`${this.label} was given no MANAGEMENT_PORT`);
    return `http://${this.env.HTTP_HOST ?? '127.0.0.1'}:${port}`;
  }

  /** The app's Prometheus scrape URL (on its management port). */
  get metricsUrl(): string {
    return `${this.managementUrl}/metrics`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends a signal and returns at once; `waitForExit()` then says how and when it ended. */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) throw new Error(`${this.label} is not running`);
    // Only the first signal starts the clock: a second one (to cut a drain short) is part of it.
    this.signalledAt ??= Date.now();
    this.child!.kill(signal);
  }

  /**
   * Resolves when the process exits, with its exit code (null when a signal killed it) and the
   * time since the first signal; throws if it is still running after `timeoutMs`.
   */
  async waitForExit(timeoutMs = 30_000): Promise<AppExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`${this.label} still running after ${timeoutMs} ms:\n${this.output.slice(-30).join('\n')}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * SIGTERM (graceful) by default; resolves with the exit code. If it has not exited after
   * `killAfterMs`, it is SIGKILLed (the result is then null).
   */
  async stop(signal: NodeJS.Signals = 'SIGTERM', killAfterMs = 60_000): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.signal(signal);
    try {
      return (await this.waitForExit(killAfterMs)).code;
    } catch {
      if (this.running) this.child!.kill('SIGKILL');
      return (await this.exited).code;
    }
  }

  private async waitUntilReady(timeoutMs: number, url: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) break;
      const status = await fetch(url).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.label} did not become ready:\n${this.output.slice(-30).join('\n')}`);
  }
}
