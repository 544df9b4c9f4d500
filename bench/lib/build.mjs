// dist/ is what runs. Built before a run when missing or asked for, never during one.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.ts$/.test(entry.name) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Which entry point of `apps` is missing from dist/, or null. */
export const missingBuild = (apps) =>
  apps.map((app) => `dist/apps/${app}/main.js`).find((entry) => !existsSync(entry)) ?? null;

/** True when a source under apps/ or libs/ is newer than the oldest of the apps' builds. */
export function sourcesNewer(apps) {
  const built = Math.min(...apps.map((app) => statSync(`dist/apps/${app}/main.js`).mtimeMs));
  return Math.max(newestSource('apps'), newestSource('libs')) > built;
}

/** npm run build for `apps`, its output in `logFile`. */
export function build(apps, logFile) {
  const fd = openSync(logFile, 'a');
  try {
    execFileSync(process.execPath, ['scripts/build.mjs', ...apps], { stdio: ['ignore', fd, fd] });
  } catch {
    throw new Error(`the build failed; see ${logFile}`);
  } finally {
    closeSync(fd);
  }
}

/** Pids of builds running now (npm run build, nest build), someone else's on a shared machine. */
function buildsRunning() {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return (
          args.some((arg) => arg.endsWith('scripts/build.mjs')) ||
          (args.some((arg) => arg.endsWith('/nest')) && args.includes('build'))
        );
      } catch {
        return false;
      }
    });
}

export const buildRunning = () => buildsRunning().length > 0;

/** Waits (at most timeoutMs) while a build rewrites dist/: starting the apps meanwhile fails. */
export async function waitForOtherBuilds(timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  let pids = buildsRunning();
  if (pids.length) console.log(`a build is running (pid ${pids.join(', ')}); waiting for it to finish ...`);
  while (pids.length && Date.now() < deadline) {
    await sleep(1000);
    pids = buildsRunning();
  }
  if (pids.length) throw new Error(`a build (pid ${pids.join(', ')}) is still running after ${timeoutMs / 1000} s`);
}
