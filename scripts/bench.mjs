// `npm run bench`: hand-written baselines and the system, back to back in one run, every figure
// a ratio to its baseline (this shared machine's speed varies 2x from day to day; ratios measured
// minutes apart do not). `npm run bench -- --help` lists the options. The pieces are in bench/:
// the baselines in bench/baselines, the load generator's scripts in bench/wrk, the rest in bench/lib.
// Needs PostgreSQL and RabbitMQ on 127.0.0.1; sends traffic nowhere else. Figures, not assertions.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  baselineNames,
  cleanUpBaselines,
  createBaselineDatabase,
  startReadBaseline,
  startWriteBaseline,
  stopBaseline,
} from '../bench/lib/baselines.mjs';
import { build, buildRunning, missingBuild, sourcesNewer, waitForOtherBuilds } from '../bench/lib/build.mjs';
import { compare } from '../bench/lib/compare.mjs';
import { takeHeapSnapshots } from '../bench/lib/heap.mjs';
import { chooseLoadTool, stopLoad } from '../bench/lib/load.mjs';
import { measure } from '../bench/lib/measure.mjs';
import { seriesAfterRun } from '../bench/lib/metrics.mjs';
import { HELP, parseOptions } from '../bench/lib/options.mjs';
import { stopAll } from '../bench/lib/processes.mjs';
import { rssNow } from '../bench/lib/proc-stats.mjs';
import { printRun, summaryTable, transportRatios } from '../bench/lib/report.mjs';
import { machine, runDirs, runName, writeResults } from '../bench/lib/results.mjs';
import { soak } from '../bench/lib/soak.mjs';
import {
  APPS,
  cleanUpSystem,
  logIn,
  placeOrder,
  registerUsers,
  startSystem,
  stopSystem,
  systemDatabases,
} from '../bench/lib/system.mjs';

process.chdir(fileURLToPath(new URL('..', import.meta.url)));

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${error.message}\n\n${HELP}`);
  process.exit(2);
}
if (options.help) {
  console.log(HELP);
  process.exit(0);
}
if (options.compare) {
  compare(...options.compare);
  process.exit(0);
}

const date = new Date();
const name = runName(date, options);
const id = randomUUID().slice(0, 8);
const run = {
  id,
  date,
  prefix: `bench-${id}.`,
  options,
  tool: chooseLoadTool(options.load),
  ...runDirs(name),
  orderBody: JSON.stringify({ currency: 'EUR', items: [{ sku: 'BENCH', quantity: 1, unitPriceCents: 100 }] }),
};
mkdirSync(run.logDir, { recursive: true });
const apps = APPS[options.shape];
const show = (path) => relative(process.cwd(), path);

console.log(
  `bench ${name}: shape ${options.shape}, RPC over ${options.rpcCompare ? 'RabbitMQ and gRPC' : options.rpc}, rate limits in ${options.rateLimitStore}, ${options.connections} connections, ${options.seconds} s per run${options.rate ? `, POSTs paced at ${options.rate}/s` : ''}, ` +
    `load generator ${options.rate ? 'paced (bench/lib/paced-child.mjs)' : run.tool}${!options.rate && run.tool === 'autocannon' ? ' (wrk not on PATH: apt-get install -y wrk)' : ''}, ` +
    `databases *_bench_${id}, queues ${run.prefix}*\nlogs: ${show(run.logDir)}/`,
);
if (options.cpuProf) console.log("profiling: the apps' CPU figures include the profiler's own cost");

// Built only when missing or asked for: on a shared machine the sources may be mid-edit, and a
// failed build leaves an app's dist/ folder half written. Someone else's build is waited for.
await waitForOtherBuilds();
const missing = missingBuild(apps);
if (options.build === 'always' || (missing && options.build === 'auto')) {
  console.log(`building ${apps.join(', ')} (${missing ?? 'asked for'}); output in ${show(run.logDir)}/build.log ...`);
  build(apps, join(run.logDir, 'build.log'));
} else if (!missing && sourcesNewer(apps)) {
  console.log('note: apps/ or libs/ changed since dist/ was built; measuring the build as it is (--build rebuilds)');
}

let cleaning = null;
const cleanUp = () =>
  (cleaning ??= (async () => {
    stopLoad();
    await stopAll();
    await cleanUpSystem(run).catch((error) => console.error(`clean-up (system): ${error.message}`));
    await cleanUpBaselines(run).catch((error) => console.error(`clean-up (baselines): ${error.message}`));
  })());
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the processes and dropping the bench's databases and queues ...`);
    cleanUp().finally(() => process.exit(130));
  });
}

const rssOf = (processes) => rssNow(Object.fromEntries(Object.entries(processes).map(([n, p]) => [n, p.pid])));

/**
 * Starts the apps once no build is rewriting dist/. If they fail to start and a build started
 * meanwhile (someone else's: the apps' code changes under the bench), waits for it and retries once.
 */
async function startApps(transport = options.rpc) {
  await waitForOtherBuilds();
  try {
    return await startSystem(run, transport);
  } catch (error) {
    if (!buildRunning()) {
      throw new Error(
        `${error.message}\nthe apps did not start: see their logs; if dist/ is stale, npm run build (or --build) and retry`,
        { cause: error },
      );
    }
    console.log(`the apps did not start (${error.message}) while a build was running; retrying once after it ...`);
    await stopAll();
    await cleanUpSystem(run);
    await waitForOtherBuilds();
    return startSystem(run, transport);
  }
}

async function benchmark() {
  const result = { machine: machine(run.tool), date: date.toISOString(), options, shape: options.shape, runs: [] };
  const byKey = {};
  const record = (measured) => {
    result.runs.push(measured);
    byKey[measured.key] = measured;
    printRun(measured, byKey);
  };
  const reads = options.only !== 'writes';
  const writes = options.only !== 'reads';
  const tokensFile = (file, tokens) => {
    const path = join(run.logDir, file);
    writeFileSync(path, `${tokens.join('\n')}\n`);
    return path;
  };

  /** One measured run of a hand-written baseline (writes: its saga read from its own orders table). */
  const baselineRun = async (baseline, key, label, group, spec) =>
    record(
      await measure(run, {
        key,
        label,
        group,
        spec: { connections: options.connections, threads: options.threads, ...spec },
        processes: baseline.processes,
        idleRss: rssOf(baseline.processes),
        ordersDb: group === 'writes' ? baselineNames(run).database : undefined,
      }),
    );

  const seed = await createBaselineDatabase(run, options.connections);
  // A grpc run measures a hand-written baseline per transport: each system run is a ratio to its own.
  const baselineTransports = options.rpcCompare ? ['amqp', 'grpc'] : [options.rpc];
  const readBaselineKey = (transport) => (transport === 'amqp' ? 'baseline-read' : `baseline-read-${transport}`);
  if (reads) {
    for (const transport of baselineTransports) {
      const baseline = await startReadBaseline(run, seed, transport);
      const over = transport === 'amqp' ? '' : ' over gRPC';
      await baselineRun(baseline, readBaselineKey(transport), `read baseline GET /users/:id${over}`, 'reads', {
        url: baseline.url,
      });
      await stopBaseline(baseline);
    }
  }

  // A grpc run starts the system once per transport, on the same databases: RabbitMQ RPC first.
  const transports = options.rpcCompare
    ? Array.from({ length: options.rounds }, () => ['amqp', 'grpc']).flat()
    : [options.rpc];
  let system = await startApps(transports[0]);
  result.readyMs = system.readyMs;
  console.log(
    `\n${options.shape} started (RPC over ${system.transport}): spawn → /health/ready ${JSON.stringify(system.readyMs)} ms`,
  );
  let idleRss = rssOf(system.apps);
  const users = await registerUsers(system, run, options.connections);
  // Access tokens last 15 minutes: log in again before a run that starts past 10.
  const freshTokens = async () => {
    if (Date.now() - users.at > 10 * 60_000)
      Object.assign(users, { tokens: await logIn(system, users.emails), at: Date.now() });
    return users.tokens;
  };
  const order = await placeOrder(system, run, users.tokens[0]);
  const systemRun = async (key, label, group, ref, spec) => {
    const measured = await measure(run, {
      key,
      label,
      group,
      ref,
      spec: { connections: options.connections, threads: options.threads, ...spec },
      processes: system.apps,
      idleRss,
      ordersDb: group === 'writes' ? systemDatabases(run).orders : undefined,
    });
    record(Object.assign(measured, { transport: system.transport }));
  };

  for (const [index, transport] of transports.entries()) {
    if (index > 0) {
      await stopSystem(system);
      system = await startApps(transport);
      console.log(
        `\n${options.shape} started again (RPC over ${transport}): spawn → /health/ready ${JSON.stringify(system.readyMs)} ms`,
      );
      idleRss = rssOf(system.apps);
      // Each start has JWT keys of its own: the last start's tokens are refused.
      Object.assign(users, { tokens: await logIn(system, users.emails), at: Date.now() });
    }
    if (!reads) continue;
    // Keys as ever in a plain run (--compare reads them); per transport and round in a grpc run.
    const round = Math.floor(index / 2) + 1;
    const keyOf = (base) => (options.rpcCompare ? `${base}-${transport}-${round}` : base);
    const refOf = () => readBaselineKey(transport);
    const over = options.rpcCompare
      ? ` over ${transport === 'grpc' ? 'gRPC' : 'RabbitMQ'}${options.rounds > 1 ? `, round ${round}` : ''}`
      : '';
    const auth = async () => ({ authorization: `Bearer ${(await freshTokens())[0]}` });
    await systemRun(keyOf('users-me'), `GET /api/v1/users/me${over}`, 'reads', refOf(), {
      url: `${system.api}/users/me`,
      headers: await auth(),
    });
    await systemRun(keyOf('orders-get'), `GET /api/v1/orders/:id${over}`, 'reads', refOf(), {
      url: `${system.api}/orders/${order.id}`,
      headers: await auth(),
    });
  }
  if (options.rpcCompare) console.log(`\n${transportRatios(result)}`);

  if (writes) {
    const baseline = await startWriteBaseline(run, seed);
    await baselineRun(baseline, 'baseline-write', 'write baseline POST /orders', 'writes', {
      url: baseline.url,
      post: { tokensFile: tokensFile('baseline-users.txt', seed.writeUsers), body: run.orderBody },
      rate: options.rate,
    });
    await stopBaseline(baseline);
    await systemRun('orders-post', `POST /api/v1/orders, ${options.connections} users`, 'writes', 'baseline-write', {
      url: `${system.api}/orders`,
      post: { tokensFile: tokensFile('tokens.txt', await freshTokens()), body: run.orderBody },
      rate: options.rate,
    });
    await systemRun('orders-post-one-account', 'POST /api/v1/orders, one account', 'writes', 'orders-post', {
      url: `${system.api}/orders`,
      post: { tokensFile: tokensFile('token-one-account.txt', [(await freshTokens())[0]]), body: run.orderBody },
      rate: options.rate,
    });
  }

  result.metricsAfterRun = await seriesAfterRun(system.metricsUrls);
  console.log('\n/metrics after the runs (non-zero saga, consumer and outbox series):');
  for (const [app, lines] of Object.entries(result.metricsAfterRun))
    for (const line of lines) console.log(`  ${app}: ${line}`);

  if (options.heap) {
    console.log('\nwriting heap snapshots ...');
    result.heapSnapshots = await takeHeapSnapshots(system, run.heapDir);
    for (const file of result.heapSnapshots) console.log(`  ${show(file)}`);
  }
  await stopSystem(system);
  if (options.cpuProf) reportProfiles(result);

  writeResults(run.jsonFile, result);
  console.log(`\nsummary (${date.toISOString()}, ${result.machine.cpus} × ${result.machine.model}, ${run.tool}):\n`);
  console.log(summaryTable(result));
  console.log(`\nresults: ${show(run.jsonFile)}`);
}

function reportProfiles(result) {
  result.profiles = apps.flatMap((app) => {
    const dir = join(run.profileDir, app);
    try {
      return readdirSync(dir)
        .filter((file) => file.endsWith('.cpuprofile'))
        .map((file) => join(dir, file));
    } catch {
      return [];
    }
  });
  console.log(`\nCPU profiles (open in Chrome DevTools → Performance, or speedscope):`);
  for (const file of result.profiles) console.log(`  ${show(file)}`);
  if (result.profiles.length === 0) console.log('  none written: did the apps exit on SIGTERM?');
}

try {
  if (options.soak) await soak(run, startApps, show);
  else await benchmark();
} catch (error) {
  console.error(`\nbench failed: ${error.stack ?? error}\nlogs: ${show(run.logDir)}/`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
