// The whole test suite in one command: build the apps (the end-to-end tests run them as real
// processes from dist/), then jest's unit, integration and end-to-end projects.
// Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
import { spawnSync } from 'node:child_process';

const run = (command, args, env = process.env) => {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

run(process.execPath, ['scripts/build.mjs']);
run(process.execPath, ['node_modules/jest/bin/jest.js', '--ci', ...process.argv.slice(2)], {
  ...process.env,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
});
