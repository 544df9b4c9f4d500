// npm run build [apps...]: builds every app (or those named) from scratch. With --if-changed
// (npm run start:services), an app whose sources are unchanged since its last build is kept.
import { buildApps } from './lib/build-app.mjs';

const args = process.argv.slice(2);
const named = args.filter((arg) => arg !== '--if-changed');
const apps = named.length > 0 ? named : ['gateway', 'users', 'orders', 'payments', 'monolith'];

try {
  await buildApps(apps, { ifChanged: args.includes('--if-changed') });
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
