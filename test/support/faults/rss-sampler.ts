import { readFileSync } from 'node:fs';
import type { AppProcess } from '../app-process.js';

/** Samples the resident memory of processes every `intervalMs` and keeps the largest seen, in MiB. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly apps: AppProcess[],
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Stops sampling; the peak RSS of each process by label, in MiB. */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample();
    return Object.fromEntries(this.peaks);
  }

  private sample(): void {
    for (const app of this.apps) {
      const mib = rssMib(app.pid);
      if (mib !== null) this.peaks.set(app.label, Math.max(this.peaks.get(app.label) ?? 0, mib));
    }
  }
}

/** Resident memory of a process in MiB (VmRSS), or null when it is gone. */
export function rssMib(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}
