// `--compare A.json B.json`: two saved runs side by side, the change as B/A.
import { readFileSync } from 'node:fs';
import { markdown, ratio, rpsRatio } from './report.mjs';

const fmt = (n, digits = 0) =>
  n === null || n === undefined
    ? '–'
    : Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const change = (a, b) => {
  const r = ratio(b, a);
  return r === null ? '–' : `${r.toFixed(2)}×`;
};

export function compare(fileA, fileB) {
  const [a, b] = [fileA, fileB].map((file) => JSON.parse(readFileSync(file, 'utf8')));
  const describe = (name, r) =>
    `${name}: ${r.date}, ${r.options.shape}, ${r.machine.cpus} × ${r.machine.model}, ${r.machine.node}, ` +
    `${r.machine.loadGenerator}, commit ${r.machine.gitCommit?.slice(0, 10)}${r.machine.gitDirty ? ' (+ uncommitted apps/libs)' : ''}`;
  console.log(`${describe('A', a)}\n${describe('B', b)}\n`);
  if (!a.runs?.length || !b.runs?.length) {
    console.log('One of the files has no measured runs (a soak?): nothing to compare.');
    return;
  }
  const byKey = (r) => Object.fromEntries(r.runs.map((run) => [run.key, run]));
  const [ka, kb] = [byKey(a), byKey(b)];
  const keys = a.runs.map((run) => run.key).filter((key) => kb[key]);

  const rows = keys.map((key) => {
    const [x, y] = [ka[key], kb[key]];
    const [rx, ry] = [rpsRatio(x, ka), rpsRatio(y, kb)];
    return [
      x.label,
      `${fmt(x.load.rps)} → ${fmt(y.load.rps)}`,
      change(x.load.rps, y.load.rps),
      rx === null ? 'baseline' : `${fmt(rx, 2)} → ${fmt(ry, 2)}`,
      rx === null ? '' : change(rx, ry),
      `${fmt(x.load.p99, 1)} → ${fmt(y.load.p99, 1)}`,
      change(x.load.p99, y.load.p99),
      `${fmt(x.rss.peak.total)} → ${fmt(y.rss.peak.total)}`,
      change(x.rss.peak.total, y.rss.peak.total),
      `${fmt(x.cpu.appMsPerRequest, 3)} → ${fmt(y.cpu.appMsPerRequest, 3)}`,
      change(x.cpu.appMsPerRequest, y.cpu.appMsPerRequest),
    ];
  });
  console.log(
    markdown(
      [
        'run',
        'req/s A → B',
        'B/A',
        'ratio to ref A → B',
        'B/A',
        'p99 ms A → B',
        'B/A',
        'RSS peak MB A → B',
        'B/A',
        'CPU ms/req A → B',
        'B/A',
      ],
      rows,
    ),
  );

  const sagas = keys.filter((key) => ka[key].saga && kb[key].saga);
  if (sagas.length) {
    console.log('\nsaga:');
    for (const key of sagas) {
      const [x, y] = [ka[key].saga, kb[key].saga];
      console.log(
        `  ${ka[key].label}: confirmed/s ${fmt(x.confirmedPerSecond)} → ${fmt(y.confirmedPerSecond)} ` +
          `(${change(x.confirmedPerSecond, y.confirmedPerSecond)}) · placed→final p99 ms ${fmt(x.placedToFinalP99)} → ` +
          `${fmt(y.placedToFinalP99)} (${change(x.placedToFinalP99, y.placedToFinalP99)}) · backlog ${fmt(x.backlog)} → ${fmt(y.backlog)}`,
      );
    }
  }

  console.log('\nCPU shares, % of one core (A → B):');
  for (const key of keys) {
    const [x, y] = [ka[key].cpu.shares, kb[key].cpu.shares];
    const names = [...new Set([...Object.keys(x), ...Object.keys(y)])];
    console.log(`  ${ka[key].label}: ${names.map((n) => `${n} ${fmt(x[n])} → ${fmt(y[n])}`).join(' · ')}`);
  }
  const missing = [...a.runs, ...b.runs].map((run) => run.key).filter((key) => !ka[key] || !kb[key]);
  if (missing.length) console.log(`\nIn one file only: ${[...new Set(missing)].join(', ')}`);
}
