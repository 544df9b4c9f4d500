import { Logger, type INestApplication, type INestApplicationContext } from '@nestjs/common';
import { InvalidEnvironmentError } from '../config/validate-env.js';
import { ShutdownState } from '../health/shutdown-state.js';

export interface ShutdownSettings {
  /** Longest drain; past it the process exits 1 (SHUTDOWN_TIMEOUT_MS, 1000..600000, default 25000). */
  timeoutMs: number;
  /** Readiness 503 before anything closes (SHUTDOWN_READINESS_DELAY_MS, 0..60000, default 0). */
  readinessDelayMs: number;
}

/** What the shutdown needs of the process; the real one by default, a fake in unit tests. */
export interface ShutdownProcess {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

const logger = new Logger('Shutdown');
let shuttingDown = false;

/**
 * A listener that must outlive the app's own close in a drain, e.g. a management port, whose
 * readiness must say 503 until the end: told to stay open when the drain begins, closed after
 * `app.close()`.
 */
export interface LateCloser {
  stayOpenThroughAppClose(): void;
  close(): Promise<void>;
}

const lateClosers = new Set<LateCloser>();

/**
 * Registers a listener the drain closes last (see LateCloser); returns its unregistration. A
 * registry rather than `app.get()`: Nest ends the process when asked for a provider an app lacks.
 */
export function closeAfterApp(closer: LateCloser): () => void {
  lateClosers.add(closer);
  return () => lateClosers.delete(closer);
}

/** True once a shutdown signal was received (startup errors after it are the shutdown's doing). */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

/** Before the app exists, nothing is consumed or served yet: a signal just ends the start. */
function exitWhileStarting(signal: NodeJS.Signals): void {
  shuttingDown = true;
  logger.warn(`${signal} while starting: exiting`);
  process.exit(0);
}

/** Until `enableGracefulShutdown` takes over, SIGTERM/SIGINT end the process at once, with exit code 0. */
export function exitOnSignalWhileStarting(): void {
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, exitWhileStarting);
}

/**
 * The shutdown settings from the environment (the same rules as BaseEnv, which already stopped
 * the app at start on a bad value; an empty value counts as unset).
 */
export function shutdownSettingsFrom(env: NodeJS.ProcessEnv = process.env): ShutdownSettings {
  return {
    timeoutMs: intSetting(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 1000, 600_000),
    readinessDelayMs: intSetting(env, 'SHUTDOWN_READINESS_DELAY_MS', 0, 0, 60_000),
  };
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidEnvironmentError(
      `Invalid environment: ${name}: must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`,
    );
  }
  return value;
}

/**
 * Our own handling of SIGTERM/SIGINT, in place of Nest's `enableShutdownHooks()` (which has no
 * deadline and ignores a second signal):
 *
 * 1. first signal: log, start a SHUTDOWN_TIMEOUT_MS timer, turn readiness to 503 at once
 *    (`ShutdownState.begin()`), wait SHUTDOWN_READINESS_DELAY_MS (the app still works
 *    meanwhile), close the RPC servers (consumers cancelled, requests in hand answered and
 *    acked), then `app.close()`: new HTTP requests get 503 (`return503OnClosing`), the event
 *    consumer is cancelled and its in-flight messages finish (acked), the outbox relay's batch
 *    is confirmed, the HTTP server waits for its in-flight requests, and only then
 *    (`onApplicationShutdown`) are the broker connection and the database closed; the management
 *    port last, so its readiness says 503 through the whole drain. Exit 0.
 * 2. a second signal, the timer, or a failing close: log and exit 1 at once. Nothing unfinished
 *    is acked: the broker redelivers it, and the inbox absorbs what had in fact committed.
 */
export function enableGracefulShutdown(
  app: INestApplicationContext,
  settings: ShutdownSettings = shutdownSettingsFrom(),
  proc: ShutdownProcess = process,
): void {
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let exited = false;
  let phase = 'readiness delay';
  const exit = (code: number): void => {
    if (exited) return;
    exited = true;
    clearTimeout(timer);
    proc.exit(code);
  };

  const drain = async (): Promise<void> => {
    readinessOf(app)?.begin();
    const late = [...lateClosers];
    for (const closer of late) closer.stayOpenThroughAppClose();
    if (settings.readinessDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, settings.readinessDelayMs));
    }
    phase = 'closing the RPC servers';
    await closeTransportServers(app);
    phase = 'closing the app (consumers, outbox relay, HTTP, then connections)';
    await app.close();
    phase = 'closing the management port';
    await Promise.all(late.map((closer) => closer.close()));
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (startedAt > 0) {
      logger.warn(`${signal} during shutdown: exiting now; unfinished messages are left for redelivery`);
      exit(1);
      return;
    }
    shuttingDown = true;
    startedAt = Date.now();
    logger.log(
      `${signal} received: draining (readiness 503, consumers cancelled, in-flight work finished), ` +
        `at most ${settings.timeoutMs} ms`,
    );
    timer = setTimeout(() => {
      logger.error(
        `shutdown not done after ${settings.timeoutMs} ms (still ${phase}; pending: ${pendingResources()}): ` +
          'exiting; unfinished messages will be redelivered',
      );
      exit(1);
    }, settings.timeoutMs);
    drain().then(
      () => {
        if (exited) return;
        logger.log(`shutdown complete in ${Date.now() - startedAt} ms`);
        exit(0);
      },
      (error: unknown) => {
        if (exited) return;
        logger.error(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        exit(1);
      },
    );
  };

  for (const signal of SHUTDOWN_SIGNALS) {
    process.removeListener(signal, exitWhileStarting);
    proc.on(signal, onSignal);
  }
}

/**
 * Stops the app's RPC servers first: they cancel their consumers and answer what they hold.
 * Nest would close them only after the `beforeApplicationShutdown` hooks, where the outbox relay
 * stops, so what they commit meanwhile (an order and its OrderPlaced row) would wait in the
 * outbox for another replica or the next start. Closing them again later, in `app.close()`,
 * is a no-op.
 */
async function closeTransportServers(app: INestApplicationContext): Promise<void> {
  const microservices = 'getMicroservices' in app ? (app as INestApplication).getMicroservices() : [];
  await Promise.all(microservices.map(async (microservice) => microservice.getTransportServer().close()));
}

/** What keeps the event loop busy, e.g. "TCPSocketWrap×3, Timeout×2": a clue when a drain hangs. */
function pendingResources(): string {
  const counts = new Map<string, number>();
  for (const resource of process.getActiveResourcesInfo()) counts.set(resource, (counts.get(resource) ?? 0) + 1);
  return [...counts].map(([resource, n]) => `${resource}×${n}`).join(', ') || 'nothing';
}

/** The app's readiness switch, if it has the health module (every app of ours does). */
function readinessOf(app: INestApplicationContext): ShutdownState | null {
  try {
    return app.get(ShutdownState, { strict: false });
  } catch {
    return null;
  }
}
