// npm start, npm run start:debug: builds the app if its sources changed since its last build,
// then runs it in this same process (one Node start instead of two: a few hundred ms on a busy
// machine). Node flags given to this script (--inspect, --enable-source-maps) apply to the app.
import { pathToFileURL } from 'node:url';
import { buildIfChanged } from './lib/build-app.mjs';

const APPS = ['gateway', 'users', 'orders', 'payments', 'monolith'];
const app = process.argv[2] ?? 'monolith';
if (!APPS.includes(app)) {
  console.error(`unknown app "${app}": one of ${APPS.join(', ')}`);
  process.exit(1);
}
buildIfChanged([app]);
await import(pathToFileURL(`dist/apps/${app}/main.js`).href);
