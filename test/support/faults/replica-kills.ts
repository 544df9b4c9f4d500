import { appendFileSync } from 'node:fs';
import type { AppProcess } from '../app-process.js';
import { FAULT_ROWS_DIR, sleep } from './fault-scenario.js';

/**
 * Starts a killed replica again; a start that fails at boot (the database or broker briefly
 * unreachable) is retried and counted in `notes.bootFailures`, its output kept in
 * `<scenario>.boot-failures.log`.
 */
export async function startPatiently(app: AppProcess, notes: Record<string, unknown>, scenario: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await app.start(60_000);
      return;
    } catch (error) {
      notes.bootFailures = ((notes.bootFailures as number | undefined) ?? 0) + 1;
      appendFileSync(
        `${FAULT_ROWS_DIR}/${scenario}.boot-failures.log`,
        `${app.label} attempt ${attempt}:\n${app.output.slice(-15).join('\n')}\n\n`,
      );
      if (attempt >= 3) throw error;
      if (app.running) await app.stop('SIGKILL');
    }
  }
}

/**
 * SIGKILLs the replicas in turn, one every 3 s, ten times, each restarted at once; all ten kills
 * even if the load ends first (on a busy machine a restart takes longer). Counts them in `notes.kills`.
 */
export async function killInTurn(
  replicas: AppProcess[],
  notes: Record<string, unknown>,
  scenario: string,
): Promise<void> {
  const restarts: Promise<void>[] = [];
  let kills = 0;
  for (let i = 0; i < 10; i += 1) {
    await sleep(3000);
    const app = replicas[i % replicas.length]!;
    // never kill a replica still booting from its last kill: that is a failed start, not a crash
    await restarts.at(-2);
    await app.stop('SIGKILL');
    kills += 1;
    restarts.push(sleep(200).then(() => startPatiently(app, notes, scenario)));
  }
  await Promise.all(restarts);
  notes.kills = kills;
}
