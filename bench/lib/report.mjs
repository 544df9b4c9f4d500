// What a run prints: a block per measured run as it ends, and a Markdown summary at the end.

const int = (n) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
const num = (n, digits = 1) => (n === null || n === undefined ? '–' : Number(n).toFixed(digits));
export const ratio = (a, b) => (a === null || a === undefined || !b ? null : a / b);
const times = (r) => (r === null ? '–' : `${r.toFixed(2)}×`);
const mb = (n) => int(n);

/** Req/s of `run` over its reference run's (the baseline, or the 50-user write for the one-account write). */
export const rpsRatio = (run, byKey) => ratio(run.load.rps, byKey[run.ref]?.load.rps);

const refName = (run, byKey) => byKey[run.ref]?.label ?? run.ref;

export function printRun(run, byKey) {
  const { load, cpu, rss, saga } = run;
  const ref = run.ref && byKey[run.ref];
  const vs = (value, refValue) => (ref ? ` (${times(ratio(value, refValue))})` : '');
  const lines = [];
  lines.push(
    `  ${int(load.rps)} req/s${ref ? ` = ${times(rpsRatio(run, byKey))} ${refName(run, byKey)}` : ''} · ` +
      `p50 ${num(load.p50)} ms${vs(load.p50, ref?.load.p50)} · p90 ${num(load.p90)} ms${vs(load.p90, ref?.load.p90)} · ` +
      `p99 ${num(load.p99)} ms${vs(load.p99, ref?.load.p99)} · non-2xx ${load.non2xx} · errors ${load.errors} · ` +
      `timeouts ${load.timeouts} [${load.tool}, ${int(load.requests)} requests]`,
  );
  const shares = Object.entries(cpu.shares).map(([name, share]) => `${name} ${num(share, 0)}`);
  lines.push(
    `  CPU, % of one core: ${shares.join(' · ')}; ` +
      `measured processes ${num(cpu.apps, 0)}% = ${num(cpu.appMsPerRequest, 3)} ms CPU/request${vs(cpu.appMsPerRequest, ref?.cpu.appMsPerRequest)}`,
  );
  const names = Object.keys(rss.after.each);
  const each = names.map(
    (name) => `${name} ${mb(rss.idle.each[name])}/${mb(rss.peak.each[name])}/${mb(rss.after.each[name])}`,
  );
  lines.push(
    `  RSS MB idle/peak/after: ${each.join(' · ')}${names.length > 1 ? ` · total ${mb(rss.idle.total)}/${mb(rss.peak.total)}/${mb(rss.after.total)}` : ''}`,
  );
  if (saga) {
    lines.push(
      `  saga: ${int(saga.confirmedPerSecond)} confirmed/s${vs(saga.confirmedPerSecond, ref?.saga?.confirmedPerSecond)} during the load · ` +
        `placed→final p50 ${int(saga.placedToFinalP50)} ms, p99 ${int(saga.placedToFinalP99)} ms · ` +
        `backlog ${int(saga.backlog)} PENDING at the end of the load, ` +
        (saga.drainSeconds === null
          ? 'not drained within the drain timeout'
          : `drained in ${num(saga.drainSeconds, 1)} s`) +
        (saga.rejected ? ` · ${saga.rejected} REJECTED` : ''),
    );
  }
  console.log(lines.join('\n'));
}

/** The Markdown table to paste into the README or an issue note. */
export function summaryTable(result) {
  const byKey = Object.fromEntries(result.runs.map((run) => [run.key, run]));
  const header = [
    'run',
    'shape',
    'req/s',
    'ratio',
    'p50 ms',
    'p99 ms',
    'non-2xx / errors / timeouts',
    'CPU ms/req',
    'RSS MB idle / peak / after',
    'confirmed/s',
    'placed→final p50 / p99 ms',
    'backlog',
    'drain s',
  ];
  const rows = result.runs.map((run) => {
    const r = rpsRatio(run, byKey);
    const s = run.saga;
    return [
      run.label,
      run.kind === 'baseline' ? 'hand-written' : shapeOf(run, result.options),
      int(run.load.rps),
      r === null ? '1 (baseline)' : `${times(r)} ${run.ref.startsWith('baseline') ? 'baseline' : refName(run, byKey)}`,
      num(run.load.p50),
      num(run.load.p99),
      `${run.load.non2xx} / ${run.load.errors} / ${run.load.timeouts}`,
      num(run.cpu.appMsPerRequest, 3),
      `${mb(run.rss.idle.total)} / ${mb(run.rss.peak.total)} / ${mb(run.rss.after.total)}`,
      s ? int(s.confirmedPerSecond) : '',
      s ? `${int(s.placedToFinalP50)} / ${int(s.placedToFinalP99)}` : '',
      s ? int(s.backlog) : '',
      s ? (s.drainSeconds === null ? 'timeout' : num(s.drainSeconds, 1)) : '',
    ];
  });
  // Reads only: no saga columns.
  const columns = result.runs.some((run) => run.saga) ? header.length : header.length - 4;
  return markdown(
    header.slice(0, columns),
    rows.map((row) => row.slice(0, columns)),
  );
}

/** The shape, and how its gateway called the services when that is not the default. */
const shapeOf = (run, options) =>
  options.rpcCompare || (run.transport && run.transport !== 'amqp')
    ? `${options.shape}, ${run.transport}`
    : options.shape;

/**
 * A grpc run's closing lines: per read, gRPC's req/s, p99 and CPU per request over RabbitMQ's of
 * the same round (the mean over the rounds), and each transport's ratio to its own baseline.
 */
export function transportRatios(result) {
  const byKey = Object.fromEntries(result.runs.map((run) => [run.key, run]));
  const lines = ['gRPC over RabbitMQ RPC (same run, same databases):'];
  for (const read of ['users-me', 'orders-get']) {
    const pairs = [];
    for (let round = 1; byKey[`${read}-amqp-${round}`]; round += 1) {
      const [amqp, grpc] = [byKey[`${read}-amqp-${round}`], byKey[`${read}-grpc-${round}`]];
      if (grpc) pairs.push({ amqp, grpc });
    }
    if (pairs.length === 0) continue;
    const mean = (pick) => pairs.reduce((sum, pair) => sum + pick(pair), 0) / pairs.length;
    const rps = mean(({ amqp, grpc }) => ratio(grpc.load.rps, amqp.load.rps));
    const p99 = mean(({ amqp, grpc }) => ratio(grpc.load.p99, amqp.load.p99));
    const cpu = mean(({ amqp, grpc }) => ratio(grpc.cpu.appMsPerRequest, amqp.cpu.appMsPerRequest));
    const vsBaseline = (transport) => times(mean((pair) => rpsRatio(pair[transport], byKey)));
    lines.push(
      `  ${pairs[0].amqp.label.replace(/ over .*/, '')}: req/s ${times(rps)}, p99 ${times(p99)}, CPU ms/request ${times(cpu)}` +
        ` · each vs its hand-written baseline: RabbitMQ ${vsBaseline('amqp')}, gRPC ${vsBaseline('grpc')}` +
        (pairs.length > 1 ? ` (means of ${pairs.length} rounds)` : ''),
    );
    const failed = pairs.flatMap((pair) => [pair.amqp, pair.grpc]).filter((run) => run.load.non2xx > 0);
    for (const run of failed)
      lines.push(`  NOT COMPARABLE: ${run.label} answered ${run.load.non2xx} non-2xx (see its logs)`);
  }
  return lines.join('\n');
}

export function markdown(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}
