import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export type AppName = 'gateway' | 'users' | 'orders';

/**
 * One app of the system as a real process, started from its build (`npm run build`), as
 * production runs it. Keeps its output for assertions and for diagnosis when a test fails.
 */
export class AppProcess {
  readonly output: string[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: AppName,
    readonly healthUrl: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(timeoutMs = 30_000): Promise<void> {
    const entry = `dist/apps/${this.name}/main.js`;
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build first`);
    const child = spawn(process.execPath, [entry], {
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const collect = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    await this.waitUntilReady(timeoutMs);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM (graceful) by default; resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (!this.running) return this.child?.exitCode ?? null;
    this.child!.kill(signal);
    return this.exited;
  }

  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) break;
      const status = await fetch(this.healthUrl).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${this.name} did not become ready:\n${this.output.slice(-30).join('\n')}`);
  }
}
