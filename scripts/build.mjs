// npm run build [apps...]: builds every app (or those named) from scratch. With --if-changed
// (npm run start:services), an app whose sources are unchanged since its last build is kept.
import { buildApp, buildIfChanged } from './lib/build-app.mjs';
import { sourceFingerprint } from './lib/source-fingerprint.mjs';

const args = process.argv.slice(2);
const named = args.filter((arg) => arg !== '--if-changed');
const apps = named.length > 0 ? named : ['gateway', 'users', 'orders', 'payments', 'monolith'];

if (args.includes('--if-changed')) buildIfChanged(apps);
else {
  const fingerprint = sourceFingerprint();
  for (const app of apps) buildApp(app, fingerprint);
}
