import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const LOG_TAIL_LINES = 20;

/** Sends every output line to onLog and keeps the last ones for error messages. */
export class LogTail {
  private readonly lines: string[] = [];

  constructor(private readonly onLog: (line: string) => void = () => undefined) {}

  follow(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > LOG_TAIL_LINES) this.lines.shift();
        this.onLog(line);
      });
    }
  }

  tail(): string {
    return this.lines.join('\n');
  }
}

/** Resolves with the exit code, the signal or the spawn error. */
export function exited(child: ChildProcess, event: 'exit' | 'close'): Promise<number | string> {
  return new Promise((resolveExit) => {
    child.once('error', (error) => resolveExit(error.message));
    child.once(event, (code: number | null, signal: NodeJS.Signals | null) => resolveExit(code ?? signal ?? 'unknown'));
  });
}
