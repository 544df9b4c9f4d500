// Child processes of a run: spawned with their output in a log file, stopped with SIGTERM (so
// apps drain and --cpu-prof profiles get written), killed if they do not exit in time.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const running = new Set();

/** Spawns `node <args>` (or `command` when given) with stdout and stderr appended to <logDir>/<name>.log. */
export function spawnLogged(name, args, { env, logDir, command = process.execPath }) {
  mkdirSync(logDir, { recursive: true });
  const log = join(logDir, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const entry = { name, child, pid: child.pid, log, exited: new Promise((resolve) => child.once('exit', resolve)) };
  running.add(entry);
  entry.exited.then(() => running.delete(entry));
  return entry;
}

/** Polls check() every intervalMs until it returns truthy; throws after timeoutMs or if `entry` exits. */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 100, entries = [] } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const dead = entries.find((entry) => entry.child.exitCode !== null || entry.child.signalCode !== null);
    if (dead) throw new Error(`${dead.name} exited (${dead.child.exitCode ?? dead.child.signalCode}); see ${dead.log}`);
    const result = await Promise.resolve()
      .then(check)
      .catch(() => null);
    if (result) return result;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const httpOk = (url) => () => fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok);

/** SIGTERM, then SIGKILL after timeoutMs. Resolves once the process has exited. */
export async function stopProcess(entry, timeoutMs = 30_000) {
  if (entry.child.exitCode !== null || entry.child.signalCode !== null) return;
  entry.child.kill('SIGTERM');
  const timer = setTimeout(() => entry.child.kill('SIGKILL'), timeoutMs);
  await entry.exited;
  clearTimeout(timer);
}

/** Stops every process this run spawned that is still running (on failure or Ctrl-C). */
export const stopAll = () => Promise.all([...running].map((entry) => stopProcess(entry, 10_000)));
