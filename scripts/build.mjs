// Builds every app with the Nest CLI (which rewrites @app/* aliases), then gives each app
// the entry point the docs, Dockerfile and manifests name: dist/apps/<app>/main.js.
// With --if-changed (npm start), an app whose sources are unchanged since its last build is not
// rebuilt: a fingerprint of the sources is kept next to its output.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { sourceFingerprint } from './lib/source-fingerprint.mjs';

const args = process.argv.slice(2);
const ifChanged = args.includes('--if-changed');
const named = args.filter((arg) => arg !== '--if-changed');
const apps = named.length > 0 ? named : ['gateway', 'users', 'orders', 'monolith'];
const fingerprint = sourceFingerprint();

const upToDate = (app) =>
  existsSync(`dist/apps/${app}/main.js`) &&
  existsSync(`dist/apps/${app}/.source-fingerprint`) &&
  readFileSync(`dist/apps/${app}/.source-fingerprint`, 'utf8') === fingerprint;

for (const app of apps) {
  if (ifChanged && upToDate(app)) {
    console.log(`${app} is up to date (dist/apps/${app}/main.js)`);
    continue;
  }
  rmSync(`dist/apps/${app}`, { recursive: true, force: true });
  execFileSync('node_modules/.bin/nest', ['build', app], { stdio: 'inherit' });
  writeFileSync(`dist/apps/${app}/main.js`, `import './apps/${app}/src/main.js';\n`);
  // Written last: an interrupted build leaves no fingerprint, so the next run builds again.
  writeFileSync(`dist/apps/${app}/.source-fingerprint`, fingerprint);
  console.log(`built ${app} -> dist/apps/${app}/main.js`);
}
