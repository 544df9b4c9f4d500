// Prints the fault scenarios' rows (coverage/faults/*.json, one per scenario, written by
// test/support/faults/fault-scenario.ts) as one table. Run by scripts/test-faults.mjs and
// scripts/test.mjs after jest; `node scripts/fault-table.mjs` prints the last run's again.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const FAULT_ROWS_DIR = 'coverage/faults';

const seconds = (ms) => (ms === null || ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

const COLUMNS = [
  ['scenario', (row) => row.scenario],
  ['placed', (row) => row.placed],
  ['ack', (row) => row.acknowledged],
  ['final', (row) => row.final],
  ['lost', (row) => row.lost],
  ['dup', (row) => row.duplicated],
  ['recovery', (row) => seconds(row.recoveryMs)],
  ['drain', (row) => seconds(row.drainMs)],
  [
    'answers',
    (row) =>
      Object.entries(row.answers)
        .map(([status, n]) => `${status === '0' ? 'net' : status}:${n}`)
        .join(' '),
  ],
  ['verdict', (row) => row.verdict],
  [
    'notes',
    (row) =>
      Object.entries(row.notes ?? {})
        .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`)
        .join(' '),
  ],
];

/** The table as markdown, or null when no scenario wrote a row. */
export function faultTable(dir = FAULT_ROWS_DIR) {
  if (!existsSync(dir)) return null;
  const rows = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')));
  if (rows.length === 0) return null;
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => String(cell(row))));
  const header = COLUMNS.map(([name]) => name);
  return [header, header.map(() => '---'), ...cells].map((line) => `| ${line.join(' | ')} |`).join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(faultTable() ?? `no fault rows in ${FAULT_ROWS_DIR}`);
}
