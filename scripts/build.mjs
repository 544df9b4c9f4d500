// Builds every app with the Nest CLI (which rewrites @app/* aliases), then gives each app
// the entry point the docs, Dockerfile and manifests name: dist/apps/<app>/main.js.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';

const apps = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['gateway', 'users', 'orders', 'monolith'];

for (const app of apps) {
  rmSync(`dist/apps/${app}`, { recursive: true, force: true });
  execFileSync('node_modules/.bin/nest', ['build', app], { stdio: 'inherit' });
  writeFileSync(`dist/apps/${app}/main.js`, `import './apps/${app}/src/main.js';\n`);
  console.log(`built ${app} -> dist/apps/${app}/main.js`);
}
