// Builds one app with the Nest CLI (which rewrites @app/* aliases), then gives it the entry point
// the docs, Dockerfile and manifests name: dist/apps/<app>/main.js. Beside it, a fingerprint of
// the sources it was built from, so an unchanged app need not be built again.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** Builds `app` from scratch; `fingerprint` is that of the sources as they were before the build began. */
export function buildApp(app, fingerprint) {
  rmSync(`dist/apps/${app}`, { recursive: true, force: true });
  execFileSync('node_modules/.bin/nest', ['build', app], { stdio: 'inherit' });
  // The gRPC transport loads the services' .proto files beside the compiled libraries.
  cpSync('libs/contracts/proto', `dist/apps/${app}/libs/contracts/proto`, { recursive: true });
  writeFileSync(`dist/apps/${app}/main.js`, `import './apps/${app}/src/main.js';\n`);
  // Written last: an interrupted build leaves no fingerprint, so the next run builds again. The
  // Nest CLI's deleteOutDir (nest build, nest start --watch) removes it too.
  writeFileSync(fingerprintFile(app), fingerprint);
  console.log(`built ${app} -> dist/apps/${app}/main.js`);
}

/** Builds each of `apps` whose sources changed since its last build. */
export function buildIfChanged(apps) {
  const fingerprint = sourceFingerprint();
  for (const app of apps) {
    if (upToDate(app, fingerprint)) console.log(`${app} is up to date (dist/apps/${app}/main.js)`);
    else buildApp(app, fingerprint);
  }
}
