// The settings the production image starts every app with (deploy/node-runtime.conf: heap sizes,
// malloc), so the bench measures the apps as they run there.
import { readFileSync } from 'node:fs';

export function runtimeEnv(file = 'deploy/node-runtime.conf') {
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2].trim().replace(/^"(.*)"$/, '$1');
  }
  return env;
}
