import { InvalidEnvironmentError } from '../config/validate-env.js';

/**
 * Runs an app's bootstrap; if it fails, says why in one line (bad config) or with the stack
 * (anything else) and exits non-zero, so an orchestrator restarts it.
 */
export function runApp(bootstrap: () => Promise<void>): void {
  bootstrap().catch((error: unknown) => {
    if (error instanceof InvalidEnvironmentError) console.error(error.message);
    else console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
