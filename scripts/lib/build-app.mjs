// Builds apps with the Nest CLI (which rewrites @app/* aliases), then gives each the entry point
// the docs, Dockerfile and manifests name: dist/apps/<app>/main.js. Beside it, a fingerprint of
// the sources it was built from, so an unchanged app need not be built again.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { sourceFingerprint } from './source-fingerprint.mjs';

const fingerprintFile = (app) => `dist/apps/${app}/.source-fingerprint`;

/** True when dist/apps/<app> was built from sources with this fingerprint. */
export function upToDate(app, fingerprint) {
  return (
    existsSync(`dist/apps/${app}/main.js`) &&
    existsSync(fingerprintFile(app)) &&
    readFileSync(fingerprintFile(app), 'utf8') === fingerprint
  );
}

function nestBuild(app) {
  return new Promise((resolve, reject) => {
    const child = spawn('node_modules/.bin/nest', ['build', app], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`nest build ${app} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

/** Builds `app` from scratch; `fingerprint` is that of the sources as they were before the build began. */
async function buildApp(app, fingerprint) {
  rmSync(`dist/apps/${app}`, { recursive: true, force: true });
  await nestBuild(app);
  // The gRPC transport loads the services' .proto files beside the compiled libraries.
  cpSync('libs/contracts/proto', `dist/apps/${app}/libs/contracts/proto`, { recursive: true });
  writeFileSync(`dist/apps/${app}/main.js`, `import './apps/${app}/src/main.js';\n`);
  // Written last: an interrupted build leaves no fingerprint, so the next run builds again. The
  // Nest CLI's deleteOutDir (nest build, nest start --watch) removes it too.
  writeFileSync(fingerprintFile(app), fingerprint);
  console.log(`built ${app} -> dist/apps/${app}/main.js`);
}

/**
 * Builds `apps` (with `ifChanged`, only those whose sources changed since their last build), as
 * many at once as there are cores: each `nest build` is one single-threaded compiler, and five
 * apps one after another were a minute of every CI run. Rejects once all have ended if one failed.
 */
export async function buildApps(apps, { ifChanged = false } = {}) {
  const fingerprint = sourceFingerprint();
  const queue = apps.filter((app) => {
    if (!ifChanged || !upToDate(app, fingerprint)) return true;
    console.log(`${app} is up to date (dist/apps/${app}/main.js)`);
    return false;
  });
  const failures = [];
  const worker = async () => {
    for (let app = queue.shift(); app !== undefined; app = queue.shift()) {
      await buildApp(app, fingerprint).catch((error) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), 4) }, worker));
  if (failures.length > 0) throw new Error(failures.map((error) => error.message).join('\n'));
}
