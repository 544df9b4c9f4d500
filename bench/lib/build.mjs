// dist/ is what runs. Built before a run when missing or asked for, never during one.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
