import { Logger } from '@nestjs/common';
import { InvalidEnvironmentError } from '../config/validate-env.js';
import { flushLogs } from '../logging/logging.module.js';
import { exitOnSignalWhileStarting, isShuttingDown } from './graceful-shutdown.js';

/**
 * Runs an app's bootstrap; if it fails, says why in one line (bad config) or with the stack
 * (anything else) and exits non-zero, so an orchestrator restarts it. A bootstrap cut short by
 * a shutdown signal (the app closed under it) is left to the shutdown, which decides the exit code;
 * a signal before the app exists (createHttpApp installs the graceful shutdown) just exits 0.
 */
export function runApp(bootstrap: () => Promise<void>): void {
  exitOnSignalWhileStarting();
  // Synchronously after the last start-up step, so no request is served before the lines saying
  // how the app started are out.
  bootstrap().then(flushLogs, (error: unknown) => {
    Logger.flush(); // what was logged before a JSON logger took over (if one ever did)
    flushLogs();
    if (isShuttingDown()) {
      new Logger('Shutdown').warn(`start interrupted by the shutdown: ${describe(error)}`);
      return;
    }
    if (error instanceof InvalidEnvironmentError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
