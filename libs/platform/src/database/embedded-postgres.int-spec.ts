import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { freePort } from '../../../../test/support/free-port.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

const TIMEOUT = 60_000;
const dirs: string[] = [];
const servers: EmbeddedPostgres[] = [];

function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
  chmodSync(dir, 0o755); // as root, the server runs as user postgres, which must reach the data dir
  dirs.push(dir);
  return join(dir, '.data', 'pg'); // parents do not exist yet
}

async function start(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, port });
  servers.push(server);
  return server;
}

async function query<T>(db: EmbeddedPostgres, sql: string): Promise<T[]> {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.user, password: db.password });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

function postmasterPid(dataDir: string): number {
  return Number.parseInt(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8'), 10);
}

async function isGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(50); // our own child: gone once Node has reaped it
  }
  return false;
}

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}, TIMEOUT);

describe('startEmbeddedPostgres', () => {
  it(
    'keeps the data across a stop and a start on the same data dir',
    async () => {
      const dataDir = tempDataDir();
      const port = await freePort();
      const first = await start(dataDir, port);
      expect(first).toMatchObject({ host: '127.0.0.1', port, dataDir });
      await query(first, 'CREATE TABLE notes (body text)');
      await query(first, "INSERT INTO notes VALUES ('kept')");
      await first.stop();

      const second = await start(dataDir, port);
      await expect(query(second, 'SELECT body FROM notes')).resolves.toEqual([{ body: 'kept' }]);
      await second.stop();
    },
    TIMEOUT,
  );

  it(
    'stops a server left running on the data dir, then starts',
    async () => {
      const dataDir = tempDataDir();
      const port = await freePort();
      await startEmbeddedPostgres({ dataDir, port }); // handle forgotten, as after a SIGKILL of the app
      const orphan = postmasterPid(dataDir);

      const second = await start(dataDir, port);
      expect(await isGone(orphan)).toBe(true);
      expect(postmasterPid(dataDir)).not.toBe(orphan);
      await expect(query(second, 'SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
      await second.stop();
    },
    TIMEOUT,
  );

  it(
    'starts over a stale postmaster.pid, of a dead process or of a live process that is not postgres',
    async () => {
      const dataDir = tempDataDir();
      const port = await freePort();
      const first = await start(dataDir, port);
      const pidFile = join(dataDir, 'postmaster.pid');
      const content = readFileSync(pidFile, 'utf8');
      await first.stop();
      const { uid, gid } = statSync(dataDir);
      const writeStale = (pid: number): void => {
        writeFileSync(pidFile, content.replace(/^\d+/, String(pid)));
        chownSync(pidFile, uid, gid); // as root, the file must stay the server user's
      };

      writeStale(Number.parseInt(content, 10)); // the stopped server: dead
      const second = await start(dataDir, port);
      await second.stop();

      const other = spawn('sleep', ['30']);
      try {
        writeStale(other.pid ?? 0);
        const third = await start(dataDir, port);
        await expect(query(third, 'SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
        await third.stop();
      } finally {
        other.kill();
      }
    },
    TIMEOUT,
  );

  it(
    'fails fast with the port in the message when the port is taken',
    async () => {
      const port = await freePort();
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
      try {
        await expect(startEmbeddedPostgres({ dataDir: tempDataDir(), port })).rejects.toThrow(
          new RegExp(`Port ${port} .*EMBEDDED_DB_PORT`),
        );
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    },
    TIMEOUT,
  );

  it(
    'stops idempotently',
    async () => {
      const dataDir = tempDataDir();
      const db = await start(dataDir, await freePort());
      const pid = postmasterPid(dataDir);
      await Promise.all([db.stop(), db.stop()]);
      await db.stop();
      expect(await isGone(pid)).toBe(true);
    },
    TIMEOUT,
  );
});
