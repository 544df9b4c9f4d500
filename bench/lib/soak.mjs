// `--soak`: steady mixed load on the system for N minutes (reads and writes at once, two load
// generators), sampling each app every 10 s; then a table over time and a verdict: flat or growing.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { runLoad } from './load.mjs';
import { fetchMetrics, metric } from './metrics.mjs';
import { cpuSeconds, statusMb } from './proc-stats.mjs';
import { machine, writeResults } from './results.mjs';
import { drainSeconds, pendingOrders } from './saga.mjs';
import { placeOrder, registerUsers, stopSystem, systemDatabases } from './system.mjs';

const SAMPLE_MS = 10_000;

const round = (value, scale, precision = 1) =>
  value === null ? null : Math.round(value * scale * precision) / precision;

async function sampleApps(system, previous, ordersDb, startedAt) {
  const at = performance.now();
  const sample = { t: Math.round((at - startedAt) / 1000), apps: {}, backlog: await pendingOrders(ordersDb) };
  for (const [name, app] of Object.entries(system.apps)) {
    const text = await fetchMetrics(system.metricsUrls[name]);
    const cpu = cpuSeconds(app.pid);
    const before = previous?.cpu[name];
    sample.apps[name] = {
      rssMb: Math.round(statusMb(app.pid) ?? 0),
      heapUsedMb: round(metric(text, 'nodejs_heap_size_used_bytes'), 2 ** -20),
      // prom-client's p99 of the event-loop delay since its previous scrape: this 10 s interval.
      loopP99Ms: round(metric(text, 'nodejs_eventloop_lag_p99_seconds'), 1000, 10),
      cpuPercent: before === undefined ? null : Math.round(((cpu - before) / ((at - previous.at) / 1000)) * 100),
    };
  }
  return {
    sample,
    cpu: Object.fromEntries(Object.keys(system.apps).map((n) => [n, cpuSeconds(system.apps[n].pid)])),
    at,
  };
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

/** Least-squares slope of (t seconds, value), per minute. */
function slopePerMinute(points) {
  const mt = mean(points.map((p) => p.t));
  const mv = mean(points.map((p) => p.v));
  const num = points.reduce((s, p) => s + (p.t - mt) * (p.v - mv), 0);
  const den = points.reduce((s, p) => s + (p.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

/**
 * Growing when the last third's mean is 5 % above the first third's AND the slope, over the whole
 * soak, adds 5 % of the first third's mean: a one-off step or noise fails one of the two.
 */
export function trend(points, minutes) {
  const third = Math.max(1, Math.floor(points.length / 3));
  const first = mean(points.slice(0, third).map((p) => p.v));
  const last = mean(points.slice(-third).map((p) => p.v));
  const slope = slopePerMinute(points);
  const growing = last > first * 1.05 && slope * minutes > Math.abs(first) * 0.05 && slope > 0;
  return {
    first: Math.round(first * 10) / 10,
    last: Math.round(last * 10) / 10,
    slopePerMinute: Math.round(slope * 100) / 100,
    growing,
  };
}

export async function soak(run, startApps, show) {
  const { options } = run;
  const seconds = Math.round(options.minutes * 60);
  const readers = Math.max(1, Math.floor(options.connections / 2));
  const writers = Math.max(1, options.connections - readers);
  const system = await startApps();
  console.log(`\n${options.shape} started: spawn → /health/ready ${JSON.stringify(system.readyMs)} ms`);
  const users = await registerUsers(system, run, writers);
  const order = await placeOrder(system, run, users.tokens[0]);
  const tokensFile = join(run.logDir, 'tokens.txt');
  writeFileSync(tokensFile, `${users.tokens.join('\n')}\n`);
  const ordersDb = systemDatabases(run).orders;
  const logFile = join(run.logDir, 'load-generator.log');
  const loads = (duration) => [
    runLoad(
      {
        url: `${system.api}/users/me`,
        paths: ['/api/v1/users/me', `/api/v1/orders/${order.id}`],
        headers: { authorization: `Bearer ${users.tokens[0]}` },
        connections: readers,
        threads: 1,
        seconds: duration,
      },
      { tool: run.tool, logFile },
    ),
    runLoad(
      {
        url: `${system.api}/orders`,
        post: { tokensFile, body: run.orderBody },
        connections: writers,
        threads: 1,
        seconds: duration,
      },
      { tool: run.tool, logFile },
    ),
  ];

  if (options.warmup > 0) await Promise.all(loads(options.warmup));
  console.log(
    `\nsoak: ${options.minutes} min, GET /users/me + /orders/:id on ${readers} connections and ` +
      `POST /orders over ${writers} users on ${writers}, sampled every ${SAMPLE_MS / 1000} s`,
  );
  const names = Object.keys(system.apps);
  const header = ['t s', ...names.flatMap((n) => [`${n} RSS MB`, 'heap MB', 'loop p99 ms', 'CPU %']), 'backlog'];
  const row = (s) => [
    s.t,
    ...names.flatMap((n) => [
      s.apps[n].rssMb,
      s.apps[n].heapUsedMb ?? '–',
      s.apps[n].loopP99Ms ?? '–',
      s.apps[n].cpuPercent ?? '–',
    ]),
    s.backlog,
  ];
  // Printed as it goes, as a Markdown table: each row padded to the header's widths.
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(header[i].length)).join(' | ')} |`;
  console.log(`\n${line(header)}\n| ${header.map((h) => '-'.repeat(h.length)).join(' | ')} |`);

  const startedAt = performance.now();
  const running = Promise.all(loads(seconds));
  const samples = [];
  let last = await sampleApps(system, null, ordersDb, startedAt);
  samples.push(last.sample);
  console.log(line(row(last.sample)));
  let done = false;
  const finished = () => (done = true);
  running.then(finished, finished); // a failure is thrown by the await below
  while (!done) {
    await Promise.race([running, new Promise((resolve) => setTimeout(resolve, SAMPLE_MS))]);
    if (done) break;
    last = await sampleApps(system, last, ordersDb, startedAt);
    samples.push(last.sample);
    console.log(line(row(last.sample)));
  }
  const [readLoad, writeLoad] = await running;
  const backlog = await pendingOrders(ordersDb);
  const drain = await drainSeconds(ordersDb, options.drainTimeout);

  // The first fifth (at most a minute) is the apps warming up: caches, JIT, pools.
  const settled = samples.filter((s) => s.t >= Math.min(60, seconds / 5));
  const verdicts = {};
  for (const name of names) {
    verdicts[name] = {};
    for (const field of ['rssMb', 'heapUsedMb', 'loopP99Ms']) {
      const points = settled.map((s) => ({ t: s.t, v: s.apps[name][field] })).filter((p) => Number.isFinite(p.v));
      verdicts[name][field] = points.length >= 2 ? trend(points, options.minutes) : null;
    }
  }
  const backlogTrend =
    settled.length >= 2
      ? trend(
          settled.map((s) => ({ t: s.t, v: s.backlog })),
          options.minutes,
        )
      : null;

  console.log('');
  const fmtLoad = (load) =>
    `${load.rps} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, non-2xx ${load.non2xx}, errors ${load.errors}, timeouts ${load.timeouts}`;
  console.log(`reads:  ${fmtLoad(readLoad)}\nwrites: ${fmtLoad(writeLoad)}`);
  console.log(
    `saga backlog: ${backlog} PENDING at the end, ${drain === null ? 'not drained within the timeout' : `drained in ${drain} s`}`,
  );
  const labels = { rssMb: 'RSS MB', heapUsedMb: 'heap MB', loopP99Ms: 'event-loop p99 ms' };
  const growing = [];
  console.log(`\nverdict (samples from t=${settled[0]?.t ?? '–'} s; first third → last third mean, slope per minute):`);
  for (const name of names) {
    const parts = Object.entries(verdicts[name]).map(([field, v]) => {
      if (!v) return `${labels[field]} –`;
      if (v.growing) growing.push(`${name} ${labels[field]}`);
      return `${labels[field]} ${v.growing ? 'GROWING' : 'flat'} (${v.first} → ${v.last}, ${v.slopePerMinute >= 0 ? '+' : ''}${v.slopePerMinute}/min)`;
    });
    console.log(`  ${name}: ${parts.join(' · ')}`);
  }
  if (backlogTrend) {
    console.log(
      `  saga backlog: ${backlogTrend.growing ? 'GROWING (the saga does not keep up with the writes)' : 'flat'} ` +
        `(${backlogTrend.first} → ${backlogTrend.last})`,
    );
  }
  const settledSeconds = settled.length ? settled.at(-1).t - settled[0].t : 0;
  let verdict = settled.length < 3 ? 'too short to tell' : growing.length ? `growing: ${growing.join(', ')}` : 'flat';
  // Heaps grow for the first minutes (JIT, caches, old space sizing): a short soak only hints.
  if (settled.length >= 3 && settledSeconds < 120)
    verdict += ' (indicative only: under 2 minutes after warm-up; use --minutes 5 or more)';
  console.log(`  → ${verdict}`);

  await stopSystem(system);
  const result = {
    machine: machine(run.tool),
    date: run.date.toISOString(),
    options,
    shape: options.shape,
    runs: [],
    readyMs: system.readyMs,
    soak: {
      seconds,
      readers,
      writers,
      samples,
      readLoad,
      writeLoad,
      backlog,
      drainSeconds: drain,
      verdicts,
      backlogTrend,
      verdict,
    },
  };
  writeResults(run.jsonFile, result);
  console.log(`\nresults: ${show(run.jsonFile)}`);
}
