// The fault suite (issue #11): build the apps, run every fault scenario (jest project `faults`,
// FAULT_SUITE=all) one file at a time, then print one table of their figures.
// Extra arguments go to jest, e.g. `npm run test:faults -- broker-outage`.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { FAULT_ROWS_DIR, faultTable } from './fault-table.mjs';

const run = (command, args, env = process.env) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;

const built = run(process.execPath, ['scripts/build.mjs', 'gateway', 'users', 'orders', 'payments']);
if (built !== 0) process.exit(built);

rmSync(FAULT_ROWS_DIR, { recursive: true, force: true });
const began = Date.now();
const status = run(
  process.execPath,
  // --forceExit: run in band, a lingering keep-alive socket or timer would keep jest, and the table, waiting
  [
    'node_modules/jest/bin/jest.js',
    '--ci',
    '--runInBand',
    '--forceExit',
    // the caller's arguments first: --selectProjects takes every word after it as a project name
    ...process.argv.slice(2),
    '--selectProjects',
    'faults',
  ],
  {
    ...process.env,
    FAULT_SUITE: 'all',
    NODE_OPTIONS:
      `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
  },
);
console.log(`\nfault scenarios (${((Date.now() - began) / 60_000).toFixed(1)} min):\n`);
console.log(faultTable() ?? 'no scenario wrote a row');
process.exit(status);
