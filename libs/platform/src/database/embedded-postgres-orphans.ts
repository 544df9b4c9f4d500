import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

// Beside postmaster.pid: which Node process started the server, to tell an orphan (owner dead)
// from a server that another running app uses (owner alive), which must not be killed.
export const OWNER_FILE = 'embedded-owner.pid';
const ORPHAN_TIMEOUT_MS = 10_000;

const execFileAsync = promisify(execFile);

/**
 * A killed app (SIGKILL) leaves its server running on the data dir: stop it, as the app that
 * started it is gone. A pid file of a dead process (crash, reboot) postgres replaces by itself,
 * but not one whose pid now belongs to another live process: that one we remove.
 */
export async function stopOrphan(dataDir: string): Promise<void> {
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
