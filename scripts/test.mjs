// The whole test suite in one command: build the apps whose sources changed (the end-to-end
// tests run them as real processes from dist/), then jest's unit, integration and end-to-end projects.
// Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { FAULT_ROWS_DIR, faultTable } from './fault-table.mjs';

const run = (command, args, env = process.env) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1;

// Only the apps whose sources changed since their last build (the source fingerprint of
// `npm start`): CI has just built them all, and a second test run need not wait for a build.
const built = run(process.execPath, ['scripts/build.mjs', '--if-changed']);
if (built !== 0) process.exit(built);

// jest's own summary stays as it is; its JSON gives the one plain closing line CI reads.
const results = 'coverage/jest-results.json';
mkdirSync('coverage', { recursive: true });
rmSync(results, { force: true });
rmSync(FAULT_ROWS_DIR, { recursive: true, force: true });
const status = run(
  process.execPath,
  ['node_modules/jest/bin/jest.js', '--ci', '--json', `--outputFile=${results}`, ...process.argv.slice(2)],
  {
    ...process.env,
    NODE_OPTIONS:
      `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings=ExperimentalWarning`.trim(),
  },
);
// The fast fault scenarios (jest project faults-fast) leave one row each: their table.
const table = faultTable();
if (table) console.log(`\nfault scenarios:\n\n${table}`);
try {
  const { numPassedTests, numFailedTests, numPendingTests } = JSON.parse(readFileSync(results, 'utf8'));
  console.log(`\ntests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests} skipped`);
} catch {
  // jest ended before writing its results (a configuration error): its own output says why
}
process.exit(status);
