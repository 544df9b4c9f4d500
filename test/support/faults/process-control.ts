import type { AppProcess } from '../app-process.js';

/** SIGKILLs an app (no drain, no goodbye) and starts it again after `downMs`; resolves once it is ready. */
export async function killAndRestart(app: AppProcess, downMs = 500): Promise<void> {
  await app.stop('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, downMs));
  await app.start(60_000);
}

/**
 * A graceful restart: SIGTERM, wait for the drain to end, start again. Resolves with the exit
 * code (0 for a clean drain).
 */
export async function gracefulRestart(app: AppProcess): Promise<number | null> {
  const code = await app.stop('SIGTERM', 60_000);
  await app.start(60_000);
  return code;
}

/** What one app's health endpoints said while it was watched. */
export interface HealthTimeline {
  label: string;
  /** First time readiness was not 200, and first time it was 200 again after that (epoch ms). */
  notReadyAt: number | null;
  readyAgainAt: number | null;
  /** Liveness answers other than 200 (a stuck or dead process). */
  livenessFailures: number;
}

/**
 * Polls readiness and liveness of the apps every `intervalMs` until `stop()`: when each stopped
 * being ready (detection), when it was ready again (recovery), and whether liveness ever failed.
 */
export class HealthWatch {
  private readonly timelines: HealthTimeline[];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    apps: AppProcess[],
    private readonly intervalMs = 250,
  ) {
    this.timelines = apps.map((app) => ({
      label: app.label,
      notReadyAt: null,
      readyAgainAt: null,
      livenessFailures: 0,
    }));
    this.loops = apps.map((app, i) => this.watch(app, this.timelines[i]!));
  }

  async stop(): Promise<HealthTimeline[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.timelines;
  }

  private async watch(app: AppProcess, timeline: HealthTimeline): Promise<void> {
    const live = app.healthUrl.replace(/\/ready$/, '/live');
    while (this.running) {
      const [ready, alive] = await Promise.all([status(app.healthUrl), status(live)]);
      const now = Date.now();
      if (ready !== 200 && timeline.notReadyAt === null) timeline.notReadyAt = now;
      if (ready === 200 && timeline.notReadyAt !== null && timeline.readyAgainAt === null) timeline.readyAgainAt = now;
      if (alive !== 200) timeline.livenessFailures += 1;
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
  }
}

function status(url: string): Promise<number> {
  return fetch(url, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.status,
    () => 0,
  );
}
